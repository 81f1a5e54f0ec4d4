// The audit trail, newest first, with filters and paging by id, and the SHA-256 chain check.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';

interface AuditRow {
  id: string;
  at: string;
  businessDate: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  summary: Record<string, unknown>;
  hash: string | null;
  prevHash: string | null;
}

interface Filters {
  actor?: string;
  subjectType?: string;
  subjectId?: string;
}

interface ChainCheck {
  ok: boolean;
  rowsChecked: number;
  unsealed?: number;
  firstBrokenId?: string;
}

const LIMIT = 50;

export default function AuditLog() {
  const { t } = useLang();
  const [filters, setFilters] = useState<Filters>({});
  const [cursor, setCursor] = useState<string[]>([]);
  const [check, setCheck] = useState<ChainCheck>();
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>();
  const beforeId = cursor[cursor.length - 1];
  const rows = useApi(
    (signal) =>
      call<{ items: AuditRow[] }>(
        'GET',
        '/audit' +
          query({
            actor: filters.actor?.trim(),
            subjectType: filters.subjectType?.trim(),
            subjectId: filters.subjectId?.trim(),
            beforeId,
            limit: LIMIT,
          }),
        undefined,
        signal,
      ),
    [filters, beforeId],
  );
  const items = rows.data?.items ?? [];

  const verify = async () => {
    setChecking(true);
    setCheckError(undefined);
    try {
      setCheck(await call<ChainCheck>('GET', '/audit/verify'));
    } catch (e) {
      setCheckError(e);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Page
      title={t('审计日志', 'Audit log')}
      extra={
        <Button icon={<SafetyOutlined />} onClick={() => void verify()} loading={checking}>
          {t('校验哈希链', 'Check the chain')}
        </Button>
      }
    >
      <ErrorAlert error={checkError ?? rows.error} />
      {check && (
        <Alert
          role="status"
          showIcon
          style={{ marginBottom: 16 }}
          type={check.ok ? 'success' : 'error'}
          title={
            check.ok
              ? t(
                  `哈希链完整：已校验 ${check.rowsChecked} 条`,
                  `Chain intact: ${check.rowsChecked} rows checked`,
                )
              : t(
                  `哈希链断裂：第一处断点 #${check.firstBrokenId ?? '?'}`,
                  `Chain broken at #${check.firstBrokenId ?? '?'}`,
                )
          }
          description={
            check.unsealed
              ? t(`尚有 ${check.unsealed} 条待封存`, `${check.unsealed} rows not sealed yet`)
              : undefined
          }
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          name="audit-filter"
          onFinish={(v: Filters) => {
            setFilters(v);
            setCursor([]);
          }}
        >
          <Form.Item name="actor" label={t('操作人', 'Actor')}>
            <Input placeholder="staff:teller" allowClear />
          </Form.Item>
          <Form.Item name="subjectType" label={t('对象类型', 'Subject type')}>
            <Input placeholder="depositor" allowClear />
          </Form.Item>
          <Form.Item name="subjectId" label={t('对象编号', 'Subject id')}>
            <Input allowClear />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('筛选', 'Filter')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        <Table<AuditRow>
          rowKey="id"
          size="small"
          loading={rows.loading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: <Nothing /> }}
          scroll={{ x: 1100 }}
          expandable={{
            expandedRowRender: (r) => (
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.summary, null, 2)}</pre>
            ),
          }}
          columns={[
            { title: '#', dataIndex: 'id', width: 80 },
            { title: t('时间', 'At'), render: (_, r) => dayjs(r.at).format('YYYY-MM-DD HH:mm:ss') },
            { title: t('会计日', 'Business date'), dataIndex: 'businessDate' },
            { title: t('操作人', 'Actor'), dataIndex: 'actor' },
            {
              title: t('动作', 'Action'),
              render: (_, r) => <Typography.Text code>{r.action}</Typography.Text>,
            },
            { title: t('对象', 'Subject'), render: (_, r) => `${r.subjectType} ${r.subjectId}` },
            {
              title: t('哈希', 'Hash'),
              render: (_, r) => (
                <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
                  {r.hash ? `${r.hash.slice(0, 12)}…` : t('待封存', 'unsealed')}
                </Typography.Text>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={cursor.length === 0} onClick={() => setCursor((c) => c.slice(0, -1))}>
            {t('较新', 'Newer')}
          </Button>
          <Button
            disabled={items.length < LIMIT}
            onClick={() => {
              const last = items[items.length - 1];
              if (last) setCursor((c) => [...c, last.id]);
            }}
          >
            {t('较早', 'Older')}
          </Button>
        </Space>
      </Card>
    </Page>
  );
}
