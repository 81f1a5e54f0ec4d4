// Form fields several screens write the same way, each a grid cell (antd Col) holding its labelled
// Form.Item, its rules (validators.ts) and its input: any field (FieldCell), an amount in yuan, a required
// line of text, a whole number. Put them in a <Row>; the cell says how much of the row the field takes.
import type { ReactNode } from 'react';
import { Col, Form, Input, InputNumber, type ColProps, type FormItemProps } from 'antd';
import { useLang } from './i18n.tsx';
import { amountRules, optionalAmountRules, wholeNumberRules } from './validators.ts';

/** Half a row from small screens up, the whole row on a phone (the default cell). */
export const HALF_FROM_SM: ColProps = { xs: 24, sm: 12 };
/** Half a row on every screen. */
export const HALF: ColProps = { xs: 12 };
/** A quarter of a row from small screens up, half on a phone. */
export const QUARTER_FROM_SM: ColProps = { xs: 12, sm: 6 };
/** The whole row. */
export const WHOLE: ColProps = { xs: 24 };

/** A Form.Item (its props) with its input (children) in a grid cell. */
export function FieldCell({ cell = HALF_FROM_SM, children, ...item }: FormItemProps & { cell?: ColProps }) {
  return (
    <Col {...cell}>
      <Form.Item {...item}>{children}</Form.Item>
    </Col>
  );
}

/** An amount in yuan (a string, at most two decimals): required and positive, or optional and ≥ 0. */
export function AmountField({
  name,
  label,
  cell = HALF_FROM_SM,
  optional = false,
  placeholder,
  initialValue,
  extra,
}: {
  name: string;
  label: string;
  cell?: ColProps;
  optional?: boolean;
  placeholder?: string;
  initialValue?: string;
  extra?: ReactNode;
}) {
  const { t } = useLang();
  return (
    <FieldCell
      cell={cell}
      name={name}
      label={label}
      initialValue={initialValue}
      extra={extra}
      rules={optional ? optionalAmountRules(t) : amountRules(t)}
    >
      <Input inputMode="decimal" placeholder={placeholder} />
    </FieldCell>
  );
}

/** A required line of text (blank is refused with `message`, by default "required"). */
export function TextField({
  name,
  label,
  message,
  maxLength,
  cell = WHOLE,
}: {
  name: string;
  label: string;
  message?: string;
  maxLength: number;
  cell?: ColProps;
}) {
  const { t } = useLang();
  const rule = { required: true, whitespace: true, message: message ?? t('请填写', 'Required') };
  return (
    <FieldCell cell={cell} name={name} label={label} rules={[rule]}>
      <Input maxLength={maxLength} />
    </FieldCell>
  );
}

/**
 * A whole number from 0 to `max` (months, children), required unless `optional`; `inputMax` also caps what
 * can be typed.
 */
export function CountField({
  name,
  label,
  max,
  inputMax,
  optional = false,
  cell = HALF,
}: {
  name: string;
  label: string;
  max: number;
  inputMax?: number;
  optional?: boolean;
  cell?: ColProps;
}) {
  const { t } = useLang();
  return (
    <FieldCell cell={cell} name={name} label={label} rules={wholeNumberRules(t, max, !optional)}>
      <InputNumber min={0} max={inputMax} precision={0} style={{ width: '100%' }} />
    </FieldCell>
  );
}
