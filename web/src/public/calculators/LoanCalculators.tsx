// The loan calculators (rules.md §6.2–6.4): repayment schedule with its chart, repayment capacity, and the
// quota with every factor. Public (the home page) and reused by the portal's loan screen.
import { lazy, Suspense, useCallback } from 'react';
import {
  Card,
  Col,
  DatePicker,
  Descriptions,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../lib/api.ts';
import { AmountField, CountField, FieldCell, QUARTER_FROM_SM } from '../../lib/fields.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { usePolicyFigures } from '../../lib/figures.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { HomeField, IncomeDebtsFields, LoanForm, RateField, TermField } from './LoanFields.tsx';
import type { AffordabilityResult, Candidate, QuotaResult, ScheduleResult, ScheduleRow } from './types.ts';

const ScheduleChart = lazy(() => import('./ScheduleChart.tsx'));

const trim = (v: unknown) => String(v ?? '').trim();

export function ScheduleTable({ rows }: { rows: ScheduleRow[] }) {
  const { t } = useLang();
  const withDates = rows.some((r) => r.dueDate);
  return (
    <Table<ScheduleRow>
      size="small"
      rowKey="period"
      dataSource={rows}
      pagination={{ pageSize: 12, showSizeChanger: false, simple: true }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('期', 'No.'), dataIndex: 'period', width: 56 },
        ...(withDates ? [{ title: t('还款日', 'Due'), dataIndex: 'dueDate' }] : []),
        { title: t('月供', 'Payment'), dataIndex: 'payment', align: 'right' as const, render: formatYuan },
        {
          title: t('本金', 'Principal'),
          dataIndex: 'principal',
          align: 'right' as const,
          render: formatYuan,
        },
        { title: t('利息', 'Interest'), dataIndex: 'interest', align: 'right' as const, render: formatYuan },
        {
          title: t('剩余本金', 'Balance'),
          dataIndex: 'balance',
          align: 'right' as const,
          render: formatYuan,
        },
      ]}
    />
  );
}

/** The rate, term and method as every calculator sends them (RateField, TermField, MethodField). */
interface TermsForm {
  annualRate: string;
  months: number;
  method: string;
}

/** The household's income and debts (IncomeDebtsFields). */
interface IncomeForm {
  income: string;
  debts?: string;
}

const terms = (v: TermsForm) => ({ annualRate: trim(v.annualRate), months: v.months, method: v.method });

const income = (v: IncomeForm) => ({
  income: trim(v.income),
  ...(trim(v.debts) ? { debts: trim(v.debts) } : {}),
});

interface ScheduleForm extends TermsForm {
  principal: string;
  disbursed?: Dayjs | null;
}

export function ScheduleCalculator() {
  const { t, lang } = useLang();
  const figures = usePolicyFigures();
  const run = useSubmit(
    useCallback(
      (v: ScheduleForm) =>
        api<ScheduleResult>('POST', '/calc/schedule', {
          body: {
            principal: trim(v.principal),
            ...terms(v),
            ...(v.disbursed ? { disbursed: v.disbursed.format('YYYY-MM-DD') } : {}),
          },
        }),
      [],
    ),
  );
  const rate = figures.value('loan.rate.first_home_gt5_pct');
  return (
    <LoanForm
      name="schedule"
      label={t('还款计划计算', 'Repayment schedule')}
      run={run}
      submitText={t('计算还款计划', 'Calculate the schedule')}
      result={(answer) => (
        <div data-testid="schedule-result">
          <Row gutter={12}>
            <Col xs={12} sm={8}>
              <Statistic
                title={t('首期月供', 'First payment')}
                value={formatYuan(answer.installments[0]?.payment)}
              />
            </Col>
            <Col xs={12} sm={8}>
              <Statistic title={t('利息总额', 'Total interest')} value={formatYuan(answer.totalInterest)} />
            </Col>
            <Col xs={24} sm={8}>
              <Statistic title={t('还款总额', 'Total repaid')} value={formatYuan(answer.totalPayment)} />
            </Col>
          </Row>
          {answer.note && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {lang === 'zh' ? answer.note.zh : answer.note.en}
            </Typography.Paragraph>
          )}
          <Suspense fallback={<Spin />}>
            <ScheduleChart rows={answer.installments} />
          </Suspense>
          <ScheduleTable rows={answer.installments} />
        </div>
      )}
    >
      <AmountField
        name="principal"
        label={t('贷款金额（元）', 'Loan amount (yuan)')}
        initialValue="500000.00"
      />
      <RateField
        extra={rate ? t(`首套五年以上现行利率 ${rate}%`, `First home over 5 years, now ${rate}%`) : undefined}
      />
      <TermField />
      <FieldCell name="disbursed" label={t('放款日（可选）', 'Disbursement date (optional)')}>
        <DatePicker style={{ width: '100%' }} />
      </FieldCell>
    </LoanForm>
  );
}

export function AffordabilityCalculator() {
  const { t } = useLang();
  const run = useSubmit(
    useCallback(
      (v: IncomeForm & TermsForm) =>
        api<AffordabilityResult>('POST', '/calc/affordability', { body: { ...income(v), ...terms(v) } }),
      [],
    ),
  );
  return (
    <LoanForm
      name="affordability"
      label={t('还款能力计算', 'Repayment capacity')}
      run={run}
      submitText={t('计算可贷金额', 'Calculate')}
      result={(answer) => (
        <Descriptions bordered size="small" column={1} data-testid="affordability-result">
          <Descriptions.Item
            label={t('月还款上限（50%×（收入−负债））', 'Monthly limit (50% × (income − debts))')}
          >
            {formatYuan(answer.monthlyLimit)}
          </Descriptions.Item>
          <Descriptions.Item label={t('按还款能力最高可贷', 'Largest principal that fits')}>
            <strong>{formatYuan(answer.maxPrincipal)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('对应月供', 'Its installment')}>
            {formatYuan(answer.installment)}
          </Descriptions.Item>
        </Descriptions>
      )}
    >
      <IncomeDebtsFields debtsLabel={t('现有月还债（元）', 'Existing monthly debt payments (yuan)')} />
      <RateField />
      <TermField />
    </LoanForm>
  );
}

/** The quota's four candidates (rules.md §6.2) with their basis and amount, the binding one marked. */
export function QuotaCandidates({
  candidates,
  binding,
  scroll,
}: {
  candidates: Candidate[];
  /** The binding candidate's code. */
  binding: string;
  scroll?: TableProps<Candidate>['scroll'];
}) {
  const { t, lang } = useLang();
  return (
    <Table<Candidate>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={candidates}
      scroll={scroll}
      columns={[
        { title: t('项', 'Item'), dataIndex: 'code', width: 48 },
        {
          title: t('计算依据', 'Basis'),
          render: (_: unknown, c) => (
            <span>
              {lang === 'zh' ? c.label_zh : c.label_en}{' '}
              {c.code === binding && <Tag color="red">{t('决定额度', 'binding')}</Tag>}
            </span>
          ),
        },
        { title: t('金额', 'Amount'), dataIndex: 'amount', align: 'right', render: formatYuan },
      ]}
    />
  );
}

/** The quota, its four candidates (the binding one marked) and every factor (rules.md §6.2). */
export function QuotaExplanation({ result }: { result: QuotaResult }) {
  const { t } = useLang();
  const d = result.factors.deposit;
  const r = result.factors.repayment;
  return (
    <div data-testid="quota-result">
      <Statistic title={t('可贷额度', 'Loan quota')} value={formatYuan(result.quota)} />
      <Typography.Paragraph type="secondary">
        {t(
          `额度取四项中的最小值，并向下取整到 ${formatYuan(result.roundedDownTo)} 的整数倍；该额度月供 ${formatYuan(result.installment)}。`,
          `The quota is the smallest of the four, rounded down to a multiple of ${formatYuan(result.roundedDownTo)}; its installment is ${formatYuan(result.installment)}.`,
        )}
      </Typography.Paragraph>
      <QuotaCandidates
        candidates={result.candidates}
        binding={result.binding.code}
        scroll={{ x: 'max-content' }}
      />
      <Descriptions
        size="small"
        column={1}
        bordered
        style={{ marginTop: 12 }}
        title={t('各项因素', 'Factors')}
      >
        <Descriptions.Item label={t('A 存贷挂钩', 'A deposit-linked')}>
          {formatYuan(d.totalBalance)} × {d.multiple} × {t('连续缴存系数', 'duration')}{' '}
          {d.duration.coefficient}（{d.duration.consecutiveMonths} {t('个月', 'months')}）×{' '}
          {t('稳定性系数', 'stability')} {d.stability.coefficient}（{d.stability.coveredMonths}/
          {d.stability.windowMonths}）× {t('流动性系数', 'liquidity')} {d.liquidity.coefficient} ×{' '}
          {t('信用系数', 'credit')} {d.credit.coefficient}（{d.credit.grade}）
        </Descriptions.Item>
        <Descriptions.Item label={t('B 还款能力', 'B repayment capacity')}>
          {r.sharePct}% × ({formatYuan(r.income)} − {formatYuan(r.debts)}) = {formatYuan(r.monthlyLimit)}
          {t('/月；年利率 ', ' a month; rate ')}
          {r.annualRate}%，{r.months} {t('个月', 'months')}
        </Descriptions.Item>
        <Descriptions.Item label={t('C 房价', 'C price')}>
          {formatYuan(result.factors.price.price)} × {result.factors.price.loanToValuePct}%（
          {result.factors.price.home === 'first' ? t('首套', 'first home') : t('二套', 'second home')}，
          {t('最低首付', 'down payment')} {result.factors.price.downPaymentPct}%）
        </Descriptions.Item>
        <Descriptions.Item label={t('D 最高额度', 'D cap')}>
          {formatYuan(result.factors.cap.cap)}
          {result.factors.cap.bonusPct !== '0' && `（+${result.factors.cap.bonusPct}%）`}
        </Descriptions.Item>
        <Descriptions.Item label={t('期限', 'Term')}>
          {result.term.months} / {result.term.maximumMonths} {t('个月（最长）', 'months (maximum)')}
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}

interface QuotaForm extends IncomeForm, TermsForm {
  applicantBalance: string;
  spouseBalance?: string;
  consecutiveMonths: number;
  coveredMonthsLast12: number;
  creditGrade: string;
  price: string;
  home: string;
  children: number;
}

export function QuotaCalculator({ initial }: { initial?: Partial<QuotaForm> }) {
  const { t } = useLang();
  const run = useSubmit(
    useCallback(
      (v: QuotaForm) =>
        api<QuotaResult>('POST', '/calc/quota', {
          body: {
            applicantBalance: trim(v.applicantBalance),
            ...(trim(v.spouseBalance) ? { spouseBalance: trim(v.spouseBalance) } : {}),
            consecutiveMonths: v.consecutiveMonths,
            coveredMonthsLast12: v.coveredMonthsLast12,
            creditGrade: v.creditGrade,
            ...income(v),
            price: trim(v.price),
            home: v.home,
            children: v.children,
            ...terms(v),
          },
        }),
      [],
    ),
  );
  return (
    <LoanForm
      name="quota"
      label={t('额度测算', 'Quota')}
      initialValues={{ creditGrade: 'B', home: 'first', children: 0, ...initial }}
      run={run}
      submitText={t('测算额度', 'Calculate the quota')}
      result={(answer) => (
        <Card size="small">
          <QuotaExplanation result={answer} />
        </Card>
      )}
    >
      <AmountField name="applicantBalance" label={t('本人公积金余额（元）', 'Your HPF balance (yuan)')} />
      <AmountField
        name="spouseBalance"
        optional
        label={t('配偶余额（共同申请，可选）', 'Spouse balance (co-applicant, optional)')}
      />
      <CountField name="consecutiveMonths" label={t('连续缴存月数', 'Consecutive months')} max={600} />
      <CountField
        name="coveredMonthsLast12"
        label={t('近12个月缴存月数', 'Covered of last 12')}
        max={12}
        inputMax={12}
      />
      <IncomeDebtsFields />
      <AmountField name="price" label={t('房屋总价（元）', 'House price (yuan)')} />
      <HomeField cell={QUARTER_FROM_SM} />
      <FieldCell cell={QUARTER_FROM_SM} name="creditGrade" label={t('信用等级', 'Credit grade')}>
        <Select options={['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))} />
      </FieldCell>
      <CountField
        name="children"
        label={t('子女数', 'Children')}
        max={20}
        inputMax={20}
        cell={QUARTER_FROM_SM}
      />
      <RateField label={t('年利率（%）', 'Rate (%)')} cell={QUARTER_FROM_SM} />
      <TermField />
    </LoanForm>
  );
}
