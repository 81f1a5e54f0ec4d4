// Loans for the depositor: the calculator, the quota this depositor would get for a house (with every
// factor and the binding one, rules.md §6.2, or every reason they are not yet eligible), and the status of
// their applications with each step; once disbursed, any money the loan received beyond what it owed with
// its refund (LoanOverpayment.tsx) and the repayment schedule. The quota form is the calculators' loan form
// (public/calculators/LoanFields.tsx).
import { useCallback } from 'react';
import { Alert, Card, Collapse, Empty, Input, Statistic, Steps, Table, Tag, Typography } from 'antd';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { FailuresAlert, type RuleFailure } from '../../lib/FailuresAlert.tsx';
import { AmountField, CountField, FieldCell, HALF, TextField } from '../../lib/fields.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { QuotaCandidates, ScheduleCalculator } from '../../public/calculators/LoanCalculators.tsx';
import { HomeField, IncomeDebtsFields, LoanForm, TermField } from '../../public/calculators/LoanFields.tsx';
import type { Candidate } from '../../public/calculators/types.ts';
import { ItemList } from '../ItemList.tsx';
import { LoanOverpayment } from '../LoanOverpayment.tsx';
import { useMe } from '../me.ts';
import { Screen } from './Screen.tsx';

interface Preview {
  date: string;
  eligible: boolean;
  consecutiveMonths: number;
  coveredMonthsLast12: number;
  maximumTermMonths: number;
  requested: string;
  quota: {
    quota: string;
    binding: string;
    candidates: Candidate[];
    factors?: {
      deposit?: {
        totalBalance: string;
        multiple: string;
        duration: { coefficient: string };
        stability: { coefficient: string };
        liquidity: { coefficient: string };
        credit: { grade: string; coefficient: string };
      };
      repayment?: { sharePct: string; monthlyLimit: string; annualRate: string };
    };
  };
}

interface Loan {
  loanId: string;
  loanNumber: string;
  status: string;
  amount: string;
  quota: string;
  termMonths: number;
  annualRate: string;
  house: { address: string };
  steps: {
    applied: { on: string } | null;
    reviewed: { on: string } | null;
    approved: { on: string } | null;
    rejected: { step: string; reason: string } | null;
    contract: { contractNo: string; date: string } | null;
    mortgage: unknown;
  };
}

const STATUS: Record<string, [string, string]> = {
  applied: ['已申请', 'Applied'],
  reviewed: ['已初审', 'Reviewed'],
  awaiting_manager: ['待主任审批', 'Awaiting the manager'],
  approved: ['已审批', 'Approved'],
  contracted: ['已签合同', 'Contract signed'],
  mortgaged: ['已抵押', 'Mortgaged'],
  disbursing: ['放款中', 'Disbursing'],
  disbursed: ['已放款', 'Disbursed'],
  repaying: ['还款中', 'Repaying'],
  settled: ['已结清', 'Settled'],
  rejected: ['未通过', 'Rejected'],
};

interface PreviewForm {
  address: string;
  areaSqm: string;
  price: string;
  home: 'first' | 'second';
  income: string;
  debts?: string;
  evidence: string;
  amount: string;
  months: number;
  method: string;
  children: number;
}

function QuotaPreview({ depositorId }: { depositorId: string }) {
  const { t } = useLang();
  const run = useSubmit(
    useCallback(
      (v: PreviewForm) =>
        api<Preview>('POST', '/loans/quota-preview', {
          as: 'depositor',
          body: {
            depositorId,
            house: {
              address: v.address.trim(),
              areaSqm: v.areaSqm.trim(),
              price: v.price.trim(),
              home: v.home,
              inCity: true,
            },
            children: v.children,
            income: {
              monthlyIncome: v.income.trim(),
              monthlyDebts: v.debts?.trim() || '0.00',
              evidence: v.evidence.trim(),
            },
            amount: v.amount.trim(),
            termMonths: v.months,
            method: v.method,
          },
        }),
      [depositorId],
    ),
  );
  const failures = (run.error as { body?: { details?: { failures?: RuleFailure[] } } } | undefined)?.body
    ?.details?.failures;
  return (
    <LoanForm
      name="loanQuota"
      initialValues={{ home: 'first', children: 0, evidence: '平台收入流水' }}
      run={run}
      submitText={t('测算我的额度', 'Work out my quota')}
      refusal={
        failures?.length ? (
          <FailuresAlert title={t('暂不符合贷款条件', 'Not yet eligible for a loan')} failures={failures} />
        ) : undefined
      }
      result={(answer) => (
        <Card size="small" data-testid="loan-quota">
          <Statistic title={t('可贷额度', 'Your quota')} value={formatYuan(answer.quota.quota)} />
          <Typography.Paragraph type="secondary">
            {t(
              `连续缴存 ${answer.consecutiveMonths} 个月，近12个月缴存 ${answer.coveredMonthsLast12} 个月，最长期限 ${answer.maximumTermMonths} 个月。`,
              `${answer.consecutiveMonths} consecutive months, ${answer.coveredMonthsLast12} of the last 12 covered, at most ${answer.maximumTermMonths} months.`,
            )}
          </Typography.Paragraph>
          <QuotaCandidates candidates={answer.quota.candidates} binding={answer.quota.binding} />
          {answer.quota.factors?.deposit && (
            <Typography.Paragraph style={{ marginTop: 8, fontSize: 13 }}>
              {t('A = 余额', 'A = balance')} {formatYuan(answer.quota.factors.deposit.totalBalance)} ×{' '}
              {answer.quota.factors.deposit.multiple} × {answer.quota.factors.deposit.duration.coefficient} ×{' '}
              {answer.quota.factors.deposit.stability.coefficient} ×{' '}
              {answer.quota.factors.deposit.liquidity.coefficient} ×{' '}
              {answer.quota.factors.deposit.credit.coefficient}
            </Typography.Paragraph>
          )}
        </Card>
      )}
    >
      <TextField
        name="address"
        label={t('房屋地址（本市）', 'House address (in the city)')}
        message={t('请填写地址', 'Enter the address')}
        maxLength={200}
      />
      <AmountField name="price" label={t('房屋总价（元）', 'Price (yuan)')} cell={HALF} />
      <FieldCell
        cell={HALF}
        name="areaSqm"
        label={t('面积（㎡）', 'Area (m²)')}
        rules={[{ required: true, pattern: /^\d{1,5}(\.\d{1,2})?$/, message: t('如 89.5', 'e.g. 89.5') }]}
      >
        <Input inputMode="decimal" />
      </FieldCell>
      <HomeField cell={HALF} />
      <CountField name="children" label={t('子女数', 'Children')} max={20} inputMax={20} optional />
      <IncomeDebtsFields
        cell={HALF}
        incomeLabel={t('家庭月收入（元）', 'Monthly income')}
        debtsLabel={t('月还债（元）', 'Monthly debts')}
      />
      <TextField name="evidence" label={t('收入证明', 'Income evidence')} maxLength={100} />
      <AmountField name="amount" label={t('申请金额（元）', 'Amount asked (yuan)')} cell={HALF} />
      <TermField cell={HALF} />
    </LoanForm>
  );
}

interface ScheduleRow {
  period: number;
  dueDate: string;
  payment: string;
  principal: string;
  interest: string;
  balance: string;
  status: string;
}

const INSTALLMENT_STATUS: Record<string, [string, string, string]> = {
  scheduled: ['待还', 'Due later', 'default'],
  paid: ['已还', 'Paid', 'green'],
  overdue: ['逾期', 'Overdue', 'red'],
};

/** The fixed repayment schedule of a disbursed loan, 12 periods a page. */
function LoanSchedule({ loanId }: { loanId: string }) {
  const { t } = useLang();
  const view = useApi(
    (signal) => api<{ schedule: ScheduleRow[] }>('GET', `/loans/${loanId}`, { as: 'depositor', signal }),
    [loanId],
  );
  return (
    <div data-testid="portal-loan-schedule">
      <ErrorAlert error={view.error} />
      <Table<ScheduleRow>
        size="small"
        rowKey="period"
        loading={view.loading}
        dataSource={view.data?.schedule ?? []}
        pagination={{ pageSize: 12, showSizeChanger: false, size: 'small' }}
        scroll={{ x: 480 }}
        columns={[
          { title: t('期', 'No.'), dataIndex: 'period', width: 48 },
          { title: t('还款日', 'Due'), dataIndex: 'dueDate' },
          { title: t('月供', 'Payment'), dataIndex: 'payment', align: 'right', render: formatYuan },
          { title: t('本金', 'Principal'), dataIndex: 'principal', align: 'right', render: formatYuan },
          { title: t('利息', 'Interest'), dataIndex: 'interest', align: 'right', render: formatYuan },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (status: string) => {
              const label = INSTALLMENT_STATUS[status];
              return label ? <Tag color={label[2]}>{t(label[0], label[1])}</Tag> : status;
            },
          },
        ]}
      />
    </div>
  );
}

function Applications() {
  const { t } = useLang();
  const loans = useApi((signal) => api<{ loans: Loan[] }>('GET', '/loans', { as: 'depositor', signal }), []);
  const order = ['applied', 'reviewed', 'approved', 'contracted', 'mortgaged', 'disbursed'];
  return (
    <div>
      <ErrorAlert error={loans.error} />
      <ItemList
        loading={loans.loading}
        empty={
          <Empty
            description={t(
              '暂无贷款申请。申请请携带资料到柜台办理。',
              'No loan applications. Apply at the counter with your documents.',
            )}
          />
        }
        items={loans.data?.loans ?? []}
        rowKey={(loan) => loan.loanId}
        render={(loan) => {
          const label = STATUS[loan.status];
          const s = loan.steps;
          const done = [s.applied, s.reviewed, s.approved, s.contract, s.mortgage].filter(Boolean).length;
          return (
            <Card
              size="small"
              style={{ width: '100%' }}
              title={`${loan.loanNumber}`}
              extra={
                <Tag color={loan.status === 'rejected' ? 'red' : 'blue'}>
                  {label ? t(label[0], label[1]) : loan.status}
                </Tag>
              }
            >
              <p>
                {formatYuan(loan.amount)} · {loan.termMonths} {t('个月', 'months')} · {loan.annualRate}% ·{' '}
                {loan.house.address}
              </p>
              {loan.status === 'rejected' && s.rejected ? (
                <Alert type="error" title={s.rejected.reason} />
              ) : (
                <Steps
                  size="small"
                  orientation="vertical"
                  current={Math.min(done, order.length - 1)}
                  items={[
                    { title: t('申请', 'Applied') },
                    { title: t('初审', 'Reviewed') },
                    { title: t('审批', 'Approved') },
                    { title: t('签合同', 'Contract') },
                    { title: t('抵押登记', 'Mortgage') },
                    { title: t('放款', 'Disbursed') },
                  ]}
                />
              )}
              {(loan.status === 'disbursed' || loan.status === 'settled') && (
                <>
                  <LoanOverpayment loanId={loan.loanId} />
                  <Collapse
                    size="small"
                    items={[
                      {
                        key: 'schedule',
                        label: t('还款计划', 'Repayment schedule'),
                        children: <LoanSchedule loanId={loan.loanId} />,
                      },
                    ]}
                  />
                </>
              )}
            </Card>
          );
        }}
      />
    </div>
  );
}

export default function Loans() {
  const { t } = useLang();
  const me = useMe();
  return (
    <Screen title={t('贷款', 'Loans')} loading={me.loading && !me.data} error={me.error}>
      {me.data && (
        <Collapse
          defaultActiveKey={['status']}
          items={[
            { key: 'status', label: t('我的贷款申请', 'My applications'), children: <Applications /> },
            {
              key: 'quota',
              label: t('额度测算（按我的缴存情况）', 'My quota (from my deposits)'),
              children: <QuotaPreview depositorId={me.data.depositorId} />,
            },
            { key: 'calc', label: t('还款计算器', 'Repayment calculator'), children: <ScheduleCalculator /> },
          ]}
        />
      )}
    </Screen>
  );
}
