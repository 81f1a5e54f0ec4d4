// The loan calculators (rules.md §6.2–6.4): repayment schedule with its chart, repayment capacity, and the
// quota with every factor. Public (the home page) and reused by the portal's loan screen.
import { lazy, Suspense, useCallback } from 'react';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { usePolicyFigures } from '../../lib/figures.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { amountRules, optionalAmountRules, rateRules } from '../../lib/validators.ts';
import type { AffordabilityResult, QuotaResult, ScheduleResult, ScheduleRow } from './types.ts';

const ScheduleChart = lazy(() => import('./ScheduleChart.tsx'));

const trim = (v: unknown) => String(v ?? '').trim();

function MethodField() {
  const { t } = useLang();
  return (
    <Form.Item name="method" label={t('还款方式', 'Repayment method')} initialValue="equal-installment">
      <Radio.Group
        options={[
          { value: 'equal-installment', label: t('等额本息', 'Equal installment') },
          { value: 'equal-principal', label: t('等额本金', 'Equal principal') },
        ]}
      />
    </Form.Item>
  );
}

function MonthsField({ name = 'months' }: { name?: string }) {
  const { t } = useLang();
  return (
    <Form.Item
      name={name}
      label={t('期限（月）', 'Term (months)')}
      initialValue={360}
      rules={[
        {
          required: true,
          type: 'integer',
          min: 1,
          max: 360,
          message: t('期限为 1–360 个月', 'Term: 1–360 months'),
        },
      ]}
    >
      <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
}

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

export function ScheduleCalculator() {
  const { t, lang } = useLang();
  const figures = usePolicyFigures();
  const send = useCallback(
    (v: {
      principal: string;
      annualRate: string;
      months: number;
      method: string;
      disbursed?: Dayjs | null;
    }) =>
      api<ScheduleResult>('POST', '/calc/schedule', {
        body: {
          principal: trim(v.principal),
          annualRate: trim(v.annualRate),
          months: v.months,
          method: v.method,
          ...(v.disbursed ? { disbursed: v.disbursed.format('YYYY-MM-DD') } : {}),
        },
      }),
    [],
  );
  const run = useSubmit(send);
  const rate = figures.value('loan.rate.first_home_gt5_pct');
  return (
    <div>
      <Form
        name="schedule"
        layout="vertical"
        onFinish={run.submit}
        aria-label={t('还款计划计算', 'Repayment schedule')}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="principal"
              label={t('贷款金额（元）', 'Loan amount (yuan)')}
              initialValue="500000.00"
              rules={amountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="annualRate"
              label={t('年利率（%）', 'Annual rate (%)')}
              initialValue="2.85"
              rules={rateRules(t)}
              extra={
                rate ? t(`首套五年以上现行利率 ${rate}%`, `First home over 5 years, now ${rate}%`) : undefined
              }
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <MonthsField />
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="disbursed" label={t('放款日（可选）', 'Disbursement date (optional)')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <MethodField />
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {t('计算还款计划', 'Calculate the schedule')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={run.error} />
        {run.result && (
          <div data-testid="schedule-result">
            <Row gutter={12}>
              <Col xs={12} sm={8}>
                <Statistic
                  title={t('首期月供', 'First payment')}
                  value={formatYuan(run.result.installments[0]?.payment)}
                />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic
                  title={t('利息总额', 'Total interest')}
                  value={formatYuan(run.result.totalInterest)}
                />
              </Col>
              <Col xs={24} sm={8}>
                <Statistic
                  title={t('还款总额', 'Total repaid')}
                  value={formatYuan(run.result.totalPayment)}
                />
              </Col>
            </Row>
            {run.result.note && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {lang === 'zh' ? run.result.note.zh : run.result.note.en}
              </Typography.Paragraph>
            )}
            <Suspense fallback={<Spin />}>
              <ScheduleChart rows={run.result.installments} />
            </Suspense>
            <ScheduleTable rows={run.result.installments} />
          </div>
        )}
      </div>
    </div>
  );
}

export function AffordabilityCalculator() {
  const { t } = useLang();
  const send = useCallback(
    (v: { income: string; debts?: string; annualRate: string; months: number; method: string }) =>
      api<AffordabilityResult>('POST', '/calc/affordability', {
        body: {
          income: trim(v.income),
          ...(trim(v.debts) ? { debts: trim(v.debts) } : {}),
          annualRate: trim(v.annualRate),
          months: v.months,
          method: v.method,
        },
      }),
    [],
  );
  const run = useSubmit(send);
  return (
    <div>
      <Form
        name="affordability"
        layout="vertical"
        onFinish={run.submit}
        aria-label={t('还款能力计算', 'Repayment capacity')}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="income"
              label={t('家庭月收入（元）', 'Household monthly income (yuan)')}
              rules={amountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="debts"
              label={t('现有月还债（元）', 'Existing monthly debt payments (yuan)')}
              rules={optionalAmountRules(t)}
            >
              <Input inputMode="decimal" placeholder="0.00" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="annualRate"
              label={t('年利率（%）', 'Annual rate (%)')}
              initialValue="2.85"
              rules={rateRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <MonthsField />
          </Col>
        </Row>
        <MethodField />
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {t('计算可贷金额', 'Calculate')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={run.error} />
        {run.result && (
          <Descriptions bordered size="small" column={1} data-testid="affordability-result">
            <Descriptions.Item
              label={t('月还款上限（50%×（收入−负债））', 'Monthly limit (50% × (income − debts))')}
            >
              {formatYuan(run.result.monthlyLimit)}
            </Descriptions.Item>
            <Descriptions.Item label={t('按还款能力最高可贷', 'Largest principal that fits')}>
              <strong>{formatYuan(run.result.maxPrincipal)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('对应月供', 'Its installment')}>
              {formatYuan(run.result.installment)}
            </Descriptions.Item>
          </Descriptions>
        )}
      </div>
    </div>
  );
}

/** The quota, its four candidates (the binding one marked) and every factor (rules.md §6.2). */
export function QuotaExplanation({ result }: { result: QuotaResult }) {
  const { t, lang } = useLang();
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
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={result.candidates}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('项', 'Item'), dataIndex: 'code', width: 48 },
          {
            title: t('计算依据', 'Basis'),
            render: (_: unknown, c: { label_zh: string; label_en: string; code: string }) => (
              <span>
                {lang === 'zh' ? c.label_zh : c.label_en}{' '}
                {c.code === result.binding.code && <Tag color="red">{t('决定额度', 'binding')}</Tag>}
              </span>
            ),
          },
          { title: t('金额', 'Amount'), dataIndex: 'amount', align: 'right' as const, render: formatYuan },
        ]}
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

interface QuotaForm {
  applicantBalance: string;
  spouseBalance?: string;
  consecutiveMonths: number;
  coveredMonthsLast12: number;
  creditGrade: string;
  income: string;
  debts?: string;
  price: string;
  home: string;
  children: number;
  annualRate: string;
  months: number;
  method: string;
}

export function QuotaCalculator({ initial }: { initial?: Partial<QuotaForm> }) {
  const { t } = useLang();
  const send = useCallback(
    (v: QuotaForm) =>
      api<QuotaResult>('POST', '/calc/quota', {
        body: {
          applicantBalance: trim(v.applicantBalance),
          ...(trim(v.spouseBalance) ? { spouseBalance: trim(v.spouseBalance) } : {}),
          consecutiveMonths: v.consecutiveMonths,
          coveredMonthsLast12: v.coveredMonthsLast12,
          creditGrade: v.creditGrade,
          income: trim(v.income),
          ...(trim(v.debts) ? { debts: trim(v.debts) } : {}),
          price: trim(v.price),
          home: v.home,
          children: v.children,
          annualRate: trim(v.annualRate),
          months: v.months,
          method: v.method,
        },
      }),
    [],
  );
  const run = useSubmit(send);
  const count = (max: number) => [
    {
      required: true,
      type: 'integer' as const,
      min: 0,
      max,
      message: t(`0–${max} 的整数`, `A whole number 0–${max}`),
    },
  ];
  return (
    <div>
      <Form
        name="quota"
        layout="vertical"
        onFinish={run.submit}
        initialValues={{ creditGrade: 'B', home: 'first', children: 0, annualRate: '2.85', ...initial }}
        aria-label={t('额度测算', 'Quota')}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="applicantBalance"
              label={t('本人公积金余额（元）', 'Your HPF balance (yuan)')}
              rules={amountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="spouseBalance"
              label={t('配偶余额（共同申请，可选）', 'Spouse balance (co-applicant, optional)')}
              rules={optionalAmountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item
              name="consecutiveMonths"
              label={t('连续缴存月数', 'Consecutive months')}
              rules={count(600)}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item
              name="coveredMonthsLast12"
              label={t('近12个月缴存月数', 'Covered of last 12')}
              rules={count(12)}
            >
              <InputNumber min={0} max={12} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="income"
              label={t('家庭月收入（元）', 'Household monthly income (yuan)')}
              rules={amountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="debts"
              label={t('现有月还债（元）', 'Existing monthly debts (yuan)')}
              rules={optionalAmountRules(t)}
            >
              <Input inputMode="decimal" placeholder="0.00" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="price" label={t('房屋总价（元）', 'House price (yuan)')} rules={amountRules(t)}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="home" label={t('住房套数', 'Home')}>
              <Select
                options={[
                  { value: 'first', label: t('首套', 'First') },
                  { value: 'second', label: t('二套', 'Second') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="creditGrade" label={t('信用等级', 'Credit grade')}>
              <Select options={['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="children" label={t('子女数', 'Children')} rules={count(20)}>
              <InputNumber min={0} max={20} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="annualRate" label={t('年利率（%）', 'Rate (%)')} rules={rateRules(t)}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <MonthsField />
          </Col>
        </Row>
        <MethodField />
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {t('测算额度', 'Calculate the quota')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={run.error} />
        {run.result && (
          <Card size="small">
            <QuotaExplanation result={run.result} />
          </Card>
        )}
      </div>
    </div>
  );
}
