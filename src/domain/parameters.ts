// The catalog of dated parameters (rules.md: every number is a dated parameter): what each key means,
// its type, and how a proposed value is checked before it may be approved.
import { Decimal } from 'decimal.js';
import { AppError } from './errors.ts';

export type ParameterType = 'fen' | 'percent' | 'integer' | 'boolean';

export interface ParameterDefinition {
  key: string;
  type: ParameterType;
  zh: string;
  en: string;
  /** Days of public notice before a new value may take effect (rules.md §4.2: the subsidy rate, 15). */
  noticeDays: number;
  min?: string;
  max?: string;
}

const def = (
  key: string,
  type: ParameterType,
  zh: string,
  en: string,
  extra: Partial<Omit<ParameterDefinition, 'key' | 'type' | 'zh' | 'en'>> = {},
): ParameterDefinition => ({ key, type, zh, en, noticeDays: 0, ...extra });

export const PARAMETER_DEFINITIONS: readonly ParameterDefinition[] = [
  def('eligibility.min_age_years', 'integer', '开户最低年龄（周岁）', 'Minimum age to join (full years)', {
    min: '16',
    max: '18',
  }),
  def('deposit.monthly_lower_limit_fen', 'fen', '月缴存下限', 'Monthly deposit lower limit', { min: '1' }),
  def('deposit.monthly_upper_limit_fen', 'fen', '月缴存上限', 'Monthly deposit upper limit', { min: '1' }),
  def('deposit.catch_up_enabled', 'boolean', '允许补缴断缴期次', 'Catch-up of missed periods enabled'),
  def(
    'agreement.amendments_per_hpf_year',
    'integer',
    '每年度可变更缴存方式次数',
    'Agreement amendments per HPF year',
    {
      min: '0',
      max: '12',
    },
  ),
  def('interest.annual_rate_pct', 'percent', '存款年利率（%）', 'Deposit annual interest rate (%)', {
    min: '0',
    max: '10',
  }),
  def('subsidy.annual_rate_pct', 'percent', '缴存补贴年率（%）', 'Deposit subsidy annual rate (%)', {
    min: '0',
    max: '10',
    noticeDays: 15,
  }),
  def('subsidy.lifetime_cap_fen', 'fen', '缴存补贴终身上限', 'Deposit subsidy lifetime cap', { min: '0' }),
  def('rent.annual_cap_fen', 'fen', '租房提取年度限额', 'Rent withdrawal annual cap', { min: '0' }),
  def(
    'withdrawal.min_consecutive_months',
    'integer',
    '提取所需连续缴存月数',
    'Consecutive covered months required to withdraw',
    { min: '0', max: '60' },
  ),
  def(
    'withdrawal.review_threshold_fen',
    'fen',
    '柜面提取复核金额阈值',
    'Staff withdrawals above this need a second approval',
    { min: '0' },
  ),
  def(
    'loan.rate.first_home_le5_pct',
    'percent',
    '首套五年以下（含）贷款利率',
    'First home ≤ 5 years rate (%)',
    { min: '0', max: '20' },
  ),
  def('loan.rate.first_home_gt5_pct', 'percent', '首套五年以上贷款利率', 'First home > 5 years rate (%)', {
    min: '0',
    max: '20',
  }),
  def(
    'loan.rate.second_home_le5_pct',
    'percent',
    '二套五年以下（含）贷款利率',
    'Second home ≤ 5 years rate (%)',
    { min: '0', max: '20' },
  ),
  def('loan.rate.second_home_gt5_pct', 'percent', '二套五年以上贷款利率', 'Second home > 5 years rate (%)', {
    min: '0',
    max: '20',
  }),
  def('loan.cap_single_fen', 'fen', '单人贷款最高额度', 'Loan cap, single depositor', { min: '0' }),
  def('loan.cap_couple_fen', 'fen', '夫妻双方缴存贷款最高额度', 'Loan cap, both spouses depositors', {
    min: '0',
  }),
  def(
    'loan.manager_approval_threshold_fen',
    'fen',
    '贷款需经理审批的金额阈值',
    'Loans above this amount also need a manager',
    { min: '0' },
  ),
  def(
    'loan.prepayment.min_paid_installments',
    'integer',
    '提前还款前须已归还的期数',
    'Installments paid before a prepayment is allowed',
    { min: '0', max: '360' },
  ),
  def('loan.prepayment.min_amount_fen', 'fen', '部分提前还款最低金额', 'Minimum partial prepayment', {
    min: '0',
  }),
  def(
    'loan.prepayment.min_interval_months',
    'integer',
    '两次部分提前还款最短间隔月数',
    'Months between two partial prepayments',
    { min: '0', max: '120' },
  ),
  def(
    'tax.monthly_deduction_cap_fen',
    'fen',
    '个税每月可扣除缴存额上限',
    'Monthly tax-deductible deposit cap',
    { min: '0' },
  ),
  def(
    'payment_order.valid_minutes',
    'integer',
    '缴存支付订单有效分钟数',
    'Payment order validity (minutes)',
    { min: '1', max: '1440' },
  ),
  def('liquidity.reserve_pct', 'percent', '备付金比例（%）', 'Liquidity reserve (% of deposits)', {
    min: '0',
    max: '100',
  }),
];

const BY_KEY = new Map(PARAMETER_DEFINITIONS.map((d) => [d.key, d]));

export function parameterDefinition(key: string): ParameterDefinition {
  const found = BY_KEY.get(key);
  if (!found) throw new AppError('PARAMETER_UNKNOWN', { field: 'key', details: { key } });
  return found;
}

export type ParameterValue = bigint | Decimal | number | boolean;

/** Checks and parses a value given as text ("19800" fen, "1.50" percent, "16", "true"). */
export function parseParameterValue(key: string, text: string): ParameterValue {
  const definition = parameterDefinition(key);
  const invalid = () =>
    new AppError('PARAMETER_VALUE_INVALID', { field: 'value', details: { key, value: text } });
  let numeric: Decimal | undefined;
  let value: ParameterValue;
  switch (definition.type) {
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid();
      return text === 'true';
    case 'fen':
    case 'integer':
      if (!/^-?\d{1,15}$/.test(text)) throw invalid();
      numeric = new Decimal(text);
      value = definition.type === 'fen' ? BigInt(text) : Number(text);
      break;
    case 'percent':
      if (!/^-?\d{1,3}(\.\d{1,6})?$/.test(text)) throw invalid();
      numeric = new Decimal(text);
      value = numeric;
      break;
  }
  if (definition.min !== undefined && numeric.lessThan(definition.min)) throw invalid();
  if (definition.max !== undefined && numeric.greaterThan(definition.max)) throw invalid();
  return value;
}
