// Depositor search by name, ID number or account number, with district and employment filters. ID
// numbers are shown masked here; the profile shows the full number only to roles that serve people.
import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { labelOf, useReference } from '../reference.ts';
import { useStaff } from '../staff.tsx';

export interface DepositorRow {
  depositorId: string;
  name: string;
  idNumberMasked: string;
  districtCode: string;
  employmentForm: string;
  flexibleVerified: boolean;
  accountNumber: string | null;
  accountState: string | null;
  balance: string | null;
}

interface Filters {
  query?: string;
  districtCode?: string;
  employmentForm?: string;
}

const PAGE = 20;

export default function DepositorSearch() {
  const { t, lang } = useLang();
  const { district } = useStaff();
  const reference = useReference();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const { data, error, loading } = useApi(
    (signal) =>
      call<{ items: DepositorRow[]; hasMore: boolean; totalInScope?: number }>(
        'GET',
        '/depositors' +
          query({
            query: filters.query?.trim(),
            districtCode: district ?? filters.districtCode,
            employmentForm: filters.employmentForm,
            limit: PAGE,
            offset: (page - 1) * PAGE,
          }),
        undefined,
        signal,
      ),
    [filters, page, district],
  );

  const total = data ? (page - 1) * PAGE + data.items.length + (data.hasMore ? 1 : 0) : 0;

  return (
    <Page title={t('缴存人查询', 'Depositors')}>
      <Card style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          name="depositor-search"
          onFinish={(values: Filters) => {
            setFilters(values);
            setPage(1);
          }}
        >
          <Form.Item
            name="query"
            label={t('关键字', 'Search')}
            rules={[{ max: 50, message: t('最多 50 个字符', 'At most 50 characters') }]}
          >
            <Input
              allowClear
              placeholder={t('姓名、证件号码或账号', 'Name, ID number or account number')}
              style={{ width: 260 }}
            />
          </Form.Item>
          <Form.Item name="districtCode" label={t('区县', 'District')}>
            <Select
              allowClear
              disabled={district !== null}
              placeholder={
                district !== null ? labelOf(reference.data?.districts, district, lang) : t('全部', 'All')
              }
              style={{ width: 200 }}
              options={reference.data?.districts.map((d) => ({ value: d.code, label: d[lang] }))}
            />
          </Form.Item>
          <Form.Item name="employmentForm" label={t('就业形式', 'Employment')}>
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              style={{ width: 180 }}
              options={reference.data?.employmentForms.map((d) => ({ value: d.code, label: d[lang] }))}
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
      <Table<DepositorRow>
        rowKey="depositorId"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Nothing text={t('没有符合条件的缴存人', 'No depositor matches')} /> }}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: () =>
            data?.totalInScope !== undefined
              ? t(`共 ${data.totalInScope} 人`, `${data.totalInScope} in scope`)
              : '',
        }}
        columns={[
          {
            title: t('姓名', 'Name'),
            render: (_, r) => <Link to={`/console/depositors/${r.depositorId}`}>{r.name}</Link>,
          },
          { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
          {
            title: t('区县', 'District'),
            render: (_, r) => labelOf(reference.data?.districts, r.districtCode, lang),
          },
          {
            title: t('就业形式', 'Employment'),
            render: (_, r) => (
              <Space size={4}>
                {labelOf(reference.data?.employmentForms, r.employmentForm, lang)}
                {r.flexibleVerified && <Tag color="green">{t('已核验', 'Verified')}</Tag>}
              </Space>
            ),
          },
          { title: t('账号', 'Account'), render: (_, r) => r.accountNumber ?? '—' },
          {
            title: t('账户状态', 'State'),
            render: (_, r) => labelOf(reference.data?.accountStates, r.accountState, lang),
          },
          { title: t('余额', 'Balance'), align: 'right', render: (_, r) => formatYuan(r.balance) },
        ]}
      />
    </Page>
  );
}
