// Units (单位) of the mandatory pool: search by name or code, paged; each with its unit accounts by state
// and the last month it remitted. A unit's page has its accounts, seal / unseal and the remittances.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Form, Input, Space, Table, Tag } from 'antd';
import { ImportOutlined, SearchOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { labelOf, useReference } from '../reference.ts';
import { useStaff } from '../staff.tsx';
import type { UnitListItem } from './unit-types.ts';

const PAGE = 20;

export default function Units() {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const navigate = useNavigate();
  const reference = useReference();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const { data, error, loading } = useApi(
    (signal) =>
      call<{ items: UnitListItem[]; hasMore: boolean; total: number }>(
        'GET',
        '/units' + query({ query: search, limit: PAGE, offset: (page - 1) * PAGE }),
        undefined,
        signal,
      ),
    [search, page],
  );

  return (
    <Page
      title={t('单位管理', 'Units')}
      extra={
        hasRole('teller', 'manager', 'admin') && (
          <Button icon={<ImportOutlined />} onClick={() => navigate('/console/unit-imports')}>
            {t('导入单位名册', 'Import a unit file')}
          </Button>
        )
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          name="unit-search"
          onFinish={(values: { query?: string }) => {
            setSearch(values.query?.trim() ?? '');
            setPage(1);
          }}
        >
          <Form.Item
            name="query"
            label={t('单位', 'Unit')}
            rules={[{ max: 50, message: t('最多 50 个字符', 'At most 50 characters') }]}
          >
            <Input
              allowClear
              placeholder={t('单位名称或单位编号 / 信用代码', 'Unit name or code / credit code')}
              style={{ width: 300 }}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('查询', 'Search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={error} />
      <Table<UnitListItem>
        rowKey="employerId"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{
          emptyText: (
            <Nothing
              text={
                search
                  ? t('没有符合条件的单位', 'No unit matches')
                  : t('尚无单位，可导入单位名册', 'No units yet: import a unit file')
              }
            />
          ),
        }}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => t(`共 ${total} 个单位`, `${total} unit(s)`),
        }}
        columns={[
          { title: t('单位编号', 'Code'), dataIndex: 'code' },
          {
            title: t('单位名称', 'Name'),
            render: (_, u) => <Link to={`/console/units/${u.employerId}`}>{u.name}</Link>,
          },
          {
            title: t('区县', 'District'),
            render: (_, u) => labelOf(reference.data?.districts, u.districtCode, lang),
          },
          {
            title: t('单位账户', 'Unit accounts'),
            render: (_, u) => (
              <Space size={4}>
                <Tag color="green">
                  {t('正常', 'Normal')} {u.normalAccounts}
                </Tag>
                {u.sealedAccounts > 0 && (
                  <Tag color="orange">
                    {t('封存', 'Sealed')} {u.sealedAccounts}
                  </Tag>
                )}
                <span>
                  {t('共', 'of')} {u.totalAccounts}
                </span>
              </Space>
            ),
          },
          {
            title: t('最近汇缴月份', 'Last remitted'),
            render: (_, u) => u.lastRemittanceMonth ?? '—',
          },
        ]}
      />
    </Page>
  );
}
