// The loan queue: loans by status, each with its borrower (name, masked ID number), the next step and who
// may take it (review → approve → manager approve → contract → mortgage → disburse). Steps are taken on
// the loan's page.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Badge, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { LOAN_STATUS_WORDS, METHOD_WORDS, word } from '../labels.ts';
import type { Loan } from './loan-types.ts';
import { nextStep } from './loan-steps.ts';
import { useStaff } from '../staff.tsx';
import { LoanApplication } from './LoanApplication.tsx';

const FILTERS = ['queue', 'disbursed', 'settled', 'rejected', 'all'] as const;
type Filter = (typeof FILTERS)[number];
const QUEUE = new Set(['applied', 'reviewed', 'awaiting_manager', 'approved', 'contracted', 'mortgaged']);

export default function LoanQueue() {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const [filter, setFilter] = useState<Filter>('queue');
  const [applying, setApplying] = useState(false);
  const navigate = useNavigate();
  const { data, error, loading, reload } = useApi(
    (signal) =>
      call<{ loans: Loan[] }>(
        'GET',
        '/loans' + query({ status: filter === 'queue' || filter === 'all' ? undefined : filter }),
        undefined,
        signal,
      ),
    [filter],
  );
  const loans = (data?.loans ?? []).filter((l) => filter !== 'queue' || QUEUE.has(l.status));
  const filterWords: Record<Filter, [string, string]> = {
    queue: ['待办', 'In progress'],
    disbursed: ['已放款', 'Disbursed'],
    settled: ['已结清', 'Settled'],
    rejected: ['已拒绝', 'Rejected'],
    all: ['全部', 'All'],
  };

  return (
    <Page
      title={t('贷款审批', 'Loans')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
            {t('刷新', 'Refresh')}
          </Button>
          {hasRole('teller', 'manager') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)}>
              {t('新贷款申请', 'New application')}
            </Button>
          )}
        </Space>
      }
    >
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        options={FILTERS.map((f) => ({ value: f, label: word(filterWords, f, lang) }))}
        style={{ marginBottom: 16 }}
        aria-label={t('状态筛选', 'Status filter')}
      />
      <ErrorAlert error={error} />
      <Card>
        <Table<Loan>
          rowKey="loanId"
          loading={loading}
          dataSource={loans}
          locale={{ emptyText: <Nothing text={t('没有贷款', 'No loans')} /> }}
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t('贷款编号', 'Loan'),
              render: (_, l) => <Link to={`/console/loans/${l.loanId}`}>{l.loanNumber}</Link>,
            },
            {
              title: t('借款人', 'Borrower'),
              render: (_, l) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/console/depositors/${l.depositorId}`}>
                    {l.borrower?.name ?? `#${l.depositorId}`}
                  </Link>
                  {l.borrower && (
                    <Typography.Text type="secondary" data-testid="borrower-id">
                      {l.borrower.idNumberMasked}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('金额', 'Amount'), align: 'right', render: (_, l) => formatYuan(l.amount) },
            {
              title: t('期限 / 方式', 'Term / method'),
              render: (_, l) =>
                `${l.termMonths} ${t('个月', 'months')} · ${word(METHOD_WORDS, l.method, lang)}`,
            },
            { title: t('申请日', 'Applied'), render: (_, l) => l.steps.applied.on },
            {
              title: t('状态', 'Status'),
              render: (_, l) => (
                <Tag color={l.status === 'rejected' ? 'red' : l.status === 'disbursed' ? 'green' : 'blue'}>
                  {word(LOAN_STATUS_WORDS, l.status, lang)}
                </Tag>
              ),
            },
            {
              title: t('下一步', 'Next step'),
              render: (_, l) => {
                const next = nextStep(l);
                if (!next) return '—';
                const mine = hasRole(...next.roles);
                return (
                  <Link to={`/console/loans/${l.loanId}`}>
                    {mine ? <Badge status="processing" text={next.label[lang]} /> : next.label[lang]}
                  </Link>
                );
              },
            },
          ]}
        />
      </Card>
      <LoanApplication
        open={applying}
        onClose={() => setApplying(false)}
        onApplied={(loan) => {
          setApplying(false);
          navigate(`/console/loans/${loan.loanId}`);
        }}
      />
    </Page>
  );
}
