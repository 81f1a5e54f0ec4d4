// Dated parameters with maker-checker: the values in force on the business date, every proposed /
// approved / rejected / superseded value, a proposal form (manager, finance, admin) and the decision
// (manager, admin; never the proposer).
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { PARAMETER_STATUS_WORDS, word } from '../labels.ts';
import { useStaff } from '../staff.tsx';

interface InForce {
  key: string;
  type: 'fen' | 'percent' | 'integer' | 'boolean';
  zh: string;
  en: string;
  noticeDays: number;
  value: string;
  effectiveFrom: string;
}

interface HistoryRow {
  id: string;
  key: string;
  value: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  status: string;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

interface ProposeValues {
  key: string;
  value: string;
  effectiveFrom: Dayjs;
  effectiveTo?: Dayjs | null;
  reason: string;
}

/** Fen stored as an integer string → yuan string ("19800" → "198.00"). */
function fenText(value: string): string {
  if (!/^-?\d+$/.test(value)) return value;
  const negative = value.startsWith('-');
  const digits = (negative ? value.slice(1) : value).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function shown(type: InForce['type'] | undefined, value: string, lang: 'zh' | 'en'): string {
  if (type === 'fen') return formatYuan(fenText(value));
  if (type === 'percent') return `${value}%`;
  if (type === 'boolean')
    return value === 'true' ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  return value;
}

const VALUE_PATTERNS: Record<InForce['type'], RegExp> = {
  fen: /^\d{1,15}$/,
  percent: /^\d{1,3}(\.\d{1,6})?$/,
  integer: /^-?\d{1,9}$/,
  boolean: /^(true|false)$/,
};

export default function Parameters() {
  const { t, lang } = useLang();
  const { user, hasRole } = useStaff();
  const { message } = App.useApp();
  const [proposing, setProposing] = useState(false);
  const [deciding, setDeciding] = useState<{ row: HistoryRow; decision: 'approve' | 'reject' }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [historyKey, setHistoryKey] = useState<string>();
  const [form] = Form.useForm<ProposeValues>();
  const [decisionForm] = Form.useForm<{ note?: string }>();
  const inForce = useApi(
    (signal) => call<{ date: string; items: InForce[] }>('GET', '/parameters', undefined, signal),
    [],
  );
  const history = useApi(
    (signal) =>
      call<{ items: HistoryRow[] }>(
        'GET',
        '/parameters/history' + query({ key: historyKey }),
        undefined,
        signal,
      ),
    [historyKey],
  );
  // Waiting proposals first (they need a decision), then the newest.
  const historyRows = [...(history.data?.items ?? [])].sort(
    (a, b) =>
      Number(b.status === 'proposed') - Number(a.status === 'proposed') ||
      b.proposedAt.localeCompare(a.proposedAt),
  );
  const chosenKey = Form.useWatch('key', form);
  const chosen = inForce.data?.items.find((p) => p.key === chosenKey);
  const typeOf = (key: string) => inForce.data?.items.find((p) => p.key === key)?.type;
  const nameOf = (key: string) => {
    const p = inForce.data?.items.find((i) => i.key === key);
    return p ? p[lang] : key;
  };
  const me = user ? `staff:${user.username}` : '';
  const canPropose = hasRole('manager', 'finance', 'admin');
  const canDecide = hasRole('manager', 'admin');

  const propose = async (v: ProposeValues) => {
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', '/parameters', {
        key: v.key,
        value: v.value.trim(),
        effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        effectiveTo: v.effectiveTo ? v.effectiveTo.format('YYYY-MM-DD') : null,
        reason: v.reason.trim(),
      });
      void message.success(t('已提交，待他人审批', 'Proposed; another user must approve'));
      setProposing(false);
      form.resetFields();
      history.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (v: { note?: string }) => {
    if (!deciding) return;
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', `/parameters/${deciding.row.id}/decision`, {
        decision: deciding.decision,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(
        deciding.decision === 'approve' ? t('已批准', 'Approved') : t('已驳回', 'Rejected'),
      );
      setDeciding(undefined);
      decisionForm.resetFields();
      history.reload();
      inForce.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('参数管理', 'Parameters')}
      extra={
        canPropose && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setProposing(true)}>
            {t('提出变更', 'Propose a change')}
          </Button>
        )
      }
    >
      <ErrorAlert error={inForce.error ?? history.error} />
      <Card>
        <Tabs
          items={[
            {
              key: 'in-force',
              label: t(`现行参数（${inForce.data?.date ?? ''}）`, `In force (${inForce.data?.date ?? ''})`),
              children: (
                <Table<InForce>
                  rowKey="key"
                  size="small"
                  loading={inForce.loading}
                  dataSource={inForce.data?.items ?? []}
                  pagination={false}
                  locale={{ emptyText: <Nothing /> }}
                  scroll={{ x: 800 }}
                  columns={[
                    { title: t('参数', 'Parameter'), render: (_, p) => p[lang] },
                    {
                      title: t('代码', 'Key'),
                      render: (_, p) => <Typography.Text code>{p.key}</Typography.Text>,
                    },
                    { title: t('现行值', 'Value'), render: (_, p) => shown(p.type, p.value, lang) },
                    { title: t('生效日', 'Since'), dataIndex: 'effectiveFrom' },
                    { title: t('提前公告天数', 'Notice days'), dataIndex: 'noticeDays', align: 'right' },
                    {
                      title: t('历史', 'History'),
                      render: (_, p) => (
                        <Button size="small" type="link" onClick={() => setHistoryKey(p.key)}>
                          {t('查看', 'View')}
                        </Button>
                      ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'history',
              label: t('变更记录与审批', 'History and approvals'),
              children: (
                <>
                  <Space style={{ marginBottom: 12 }}>
                    <Select
                      allowClear
                      showSearch
                      aria-label={t('按参数筛选', 'Filter by parameter')}
                      placeholder={t('全部参数', 'All parameters')}
                      style={{ width: 320 }}
                      value={historyKey}
                      onChange={setHistoryKey}
                      options={inForce.data?.items.map((p) => ({ value: p.key, label: p[lang] }))}
                    />
                  </Space>
                  <Table<HistoryRow>
                    rowKey="id"
                    size="small"
                    loading={history.loading}
                    dataSource={historyRows}
                    locale={{ emptyText: <Nothing /> }}
                    scroll={{ x: 1100 }}
                    columns={[
                      { title: t('参数', 'Parameter'), render: (_, r) => nameOf(r.key) },
                      { title: t('值', 'Value'), render: (_, r) => shown(typeOf(r.key), r.value, lang) },
                      {
                        title: t('有效期', 'Effective'),
                        render: (_, r) => `${r.effectiveFrom} – ${r.effectiveTo ?? t('长期', 'open')}`,
                      },
                      {
                        title: t('状态', 'Status'),
                        render: (_, r) => (
                          <Tag
                            color={
                              r.status === 'proposed'
                                ? 'orange'
                                : r.status === 'approved'
                                  ? 'green'
                                  : undefined
                            }
                          >
                            {word(PARAMETER_STATUS_WORDS, r.status, lang)}
                          </Tag>
                        ),
                      },
                      { title: t('理由', 'Reason'), dataIndex: 'reason' },
                      { title: t('提出人', 'Proposed by'), dataIndex: 'proposedBy' },
                      {
                        title: t('审批', 'Decision'),
                        render: (_, r) => {
                          if (r.status !== 'proposed')
                            return r.decidedBy
                              ? `${r.decidedBy}${r.decisionNote ? ` · ${r.decisionNote}` : ''}`
                              : '—';
                          if (!canDecide) return t('待审批', 'Waiting');
                          const own = r.proposedBy === me;
                          const buttons = (
                            <Space>
                              <Button
                                size="small"
                                type="primary"
                                disabled={own}
                                onClick={() => setDeciding({ row: r, decision: 'approve' })}
                              >
                                {t('批准', 'Approve')}
                              </Button>
                              <Button
                                size="small"
                                danger
                                disabled={own}
                                onClick={() => setDeciding({ row: r, decision: 'reject' })}
                              >
                                {t('驳回', 'Reject')}
                              </Button>
                            </Space>
                          );
                          return own ? (
                            <Tooltip
                              title={t('不能审批本人提出的变更', 'You cannot approve your own proposal')}
                            >
                              <span>{buttons}</span>
                            </Tooltip>
                          ) : (
                            buttons
                          );
                        },
                      },
                    ]}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        forceRender
        open={proposing}
        onClose={() => setProposing(false)}
        title={t('提出参数变更', 'Propose a parameter change')}
        size="large"
        extra={
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('提交', 'Submit')}
          </Button>
        }
      >
        <ErrorAlert error={error} />
        <Form<ProposeValues>
          form={form}
          name="parameter-propose"
          layout="vertical"
          onFinish={(v) => void propose(v)}
        >
          <Form.Item
            name="key"
            label={t('参数', 'Parameter')}
            rules={[{ required: true, message: t('请选择参数', 'Choose a parameter') }]}
          >
            <Select
              showSearch
              options={inForce.data?.items.map((p) => ({ value: p.key, label: `${p[lang]} (${p.key})` }))}
            />
          </Form.Item>
          {chosen && (
            <Typography.Paragraph type="secondary">
              {t('现行值', 'In force')}: {shown(chosen.type, chosen.value, lang)} · {t('提前公告', 'notice')}{' '}
              {chosen.noticeDays} {t('天', 'days')}
            </Typography.Paragraph>
          )}
          <Form.Item
            name="value"
            label={
              chosen?.type === 'fen'
                ? t('新值（单位：分）', 'New value (in fen)')
                : chosen?.type === 'percent'
                  ? t('新值（%）', 'New value (%)')
                  : t('新值', 'New value')
            }
            rules={[
              { required: true, whitespace: true, message: t('请填写新值', 'Enter the new value') },
              {
                validator: (_, v: string | undefined) =>
                  !v || !chosen || VALUE_PATTERNS[chosen.type].test(v.trim())
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('格式与参数类型不符', 'Does not fit the parameter type'))),
              },
            ]}
            extra={chosen?.type === 'boolean' ? 'true / false' : undefined}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item
            name="effectiveFrom"
            label={t('生效日期', 'Effective from')}
            rules={[{ required: true, message: t('请选择生效日期', 'Choose the date') }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="effectiveTo" label={t('失效日期（可选）', 'Effective to (optional)')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('变更理由', 'Reason')}
            rules={[
              { required: true, whitespace: true, message: t('请填写理由', 'Give the reason') },
              { max: 500 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Drawer>
      <Modal
        open={!!deciding}
        title={
          deciding?.decision === 'approve'
            ? t('批准参数变更', 'Approve the change')
            : t('驳回参数变更', 'Reject the change')
        }
        okText={t('确认', 'Confirm')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ danger: deciding?.decision === 'reject' }}
        confirmLoading={busy}
        forceRender
        onOk={() => decisionForm.submit()}
        onCancel={() => setDeciding(undefined)}
      >
        <ErrorAlert error={error} />
        {deciding && (
          <Typography.Paragraph>
            {nameOf(deciding.row.key)}:{' '}
            <strong>{shown(typeOf(deciding.row.key), deciding.row.value, lang)}</strong> ·{' '}
            {deciding.row.effectiveFrom}
          </Typography.Paragraph>
        )}
        <Form
          form={decisionForm}
          name="parameter-decision"
          layout="vertical"
          onFinish={(v) => void decide(v)}
        >
          <Form.Item name="note" label={t('意见', 'Note')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
