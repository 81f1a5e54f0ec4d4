// The loan forms of the public calculators (LoanCalculators.tsx) and the portal's quota preview
// (portal/screens/Loans.tsx), written once: the form itself (fields, repayment method, submit button, and
// the answer below) and the fields they share: rate, term, method, home, and the household's income and
// debts (rules.md §6.2–6.4). Each field is a grid cell like those of lib/fields.tsx, but the method, which
// takes a row of its own.
import type { ReactNode } from 'react';
import { Button, Form, Input, InputNumber, Radio, Row, Select, type ColProps } from 'antd';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { AmountField, FieldCell, HALF_FROM_SM } from '../../lib/fields.tsx';
import { useLang } from '../../lib/i18n.tsx';
import type { Submission } from '../../lib/useSubmit.ts';
import { rateRules } from '../../lib/validators.ts';

/**
 * A loan form: the fields (children) in a row, the repayment method, the submit button; below, announced
 * to screen readers, the refusal (the server's coded error unless `refusal` shows it otherwise) and what
 * `result` makes of the answer.
 */
export function LoanForm<V extends object, T>({
  name,
  label,
  initialValues,
  run,
  submitText,
  refusal,
  result,
  children,
}: {
  name: string;
  label?: string;
  initialValues?: Partial<V>;
  run: Submission<[V], T>;
  submitText: string;
  refusal?: ReactNode;
  result: (answer: T) => ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <Form<V>
        name={name}
        layout="vertical"
        onFinish={run.submit}
        initialValues={initialValues}
        aria-label={label}
      >
        <Row gutter={12}>{children}</Row>
        <MethodField />
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {submitText}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        {refusal ?? <ErrorAlert error={run.error} />}
        {run.result !== undefined && result(run.result)}
      </div>
    </div>
  );
}

/** The annual rate in percent, 2.85 to start with. */
export function RateField({
  label,
  cell = HALF_FROM_SM,
  extra,
}: {
  label?: string;
  cell?: ColProps;
  extra?: ReactNode;
}) {
  const { t } = useLang();
  return (
    <FieldCell
      cell={cell}
      name="annualRate"
      label={label ?? t('年利率（%）', 'Annual rate (%)')}
      initialValue="2.85"
      rules={rateRules(t)}
      extra={extra}
    >
      <Input inputMode="decimal" />
    </FieldCell>
  );
}

/** The term in months (1–360), 360 to start with. */
export function TermField({ cell = HALF_FROM_SM }: { cell?: ColProps }) {
  const { t } = useLang();
  const rule = {
    required: true,
    type: 'integer' as const,
    min: 1,
    max: 360,
    message: t('期限为 1–360 个月', 'Term: 1–360 months'),
  };
  return (
    <FieldCell
      cell={cell}
      name="months"
      label={t('期限（月）', 'Term (months)')}
      initialValue={360}
      rules={[rule]}
    >
      <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
    </FieldCell>
  );
}

/** Equal installment (the default) or equal principal. */
export function MethodField() {
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

/** First or second home. */
export function HomeField({ cell }: { cell: ColProps }) {
  const { t } = useLang();
  return (
    <FieldCell cell={cell} name="home" label={t('住房套数', 'Home')}>
      <Select
        options={[
          { value: 'first', label: t('首套', 'First') },
          { value: 'second', label: t('二套', 'Second') },
        ]}
      />
    </FieldCell>
  );
}

/** The household's monthly income (required) and existing monthly debt payments (optional, 0.00). */
export function IncomeDebtsFields({
  cell,
  incomeLabel,
  debtsLabel,
}: {
  cell?: ColProps;
  incomeLabel?: string;
  debtsLabel?: string;
}) {
  const { t } = useLang();
  return (
    <>
      <AmountField
        name="income"
        cell={cell}
        label={incomeLabel ?? t('家庭月收入（元）', 'Household monthly income (yuan)')}
      />
      <AmountField
        name="debts"
        cell={cell}
        optional
        placeholder="0.00"
        label={debtsLabel ?? t('现有月还债（元）', 'Existing monthly debts (yuan)')}
      />
    </>
  );
}
