// Form rules shared by the screens (antd Form `rules`), so a form is checked before it is sent and the
// messages come in the user's language. Amounts stay strings; comparisons go through fen as BigInt.
import type { FormRule as Rule } from 'antd';
import { isYuanAmount } from './money.ts';

type T = (zh: string, en: string) => string;

/** "1234.5" → 123450n (fen); undefined when not an amount. */
export function yuanToFen(value: string): bigint | undefined {
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return undefined;
  const [whole = '0', fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** A required positive yuan amount with at most two decimals, optionally within [min, max] (yuan strings). */
export function amountRules(t: T, options: { min?: string; max?: string; required?: boolean } = {}): Rule[] {
  return [
    { required: options.required ?? true, message: t('请输入金额', 'Enter an amount') },
    {
      validator: async (_rule, value: unknown) => {
        if (value === undefined || value === null || value === '') return;
        const text = String(value).trim();
        if (!isYuanAmount(text))
          throw new Error(t('金额应为正数，最多两位小数', 'A positive amount with at most two decimals'));
        const fen = yuanToFen(text) ?? 0n;
        if (options.min !== undefined && fen < (yuanToFen(options.min) ?? 0n))
          throw new Error(t(`不得低于 ${options.min} 元`, `At least ${options.min} yuan`));
        if (options.max !== undefined && fen > (yuanToFen(options.max) ?? 0n))
          throw new Error(t(`不得高于 ${options.max} 元`, `At most ${options.max} yuan`));
      },
    },
  ];
}

/** A non-negative amount (0 allowed), e.g. existing debts. */
export function optionalAmountRules(t: T): Rule[] {
  return [
    {
      validator: async (_rule, value: unknown) => {
        if (value === undefined || value === null || value === '') return;
        if (!/^(0|[1-9]\d{0,11})(\.\d{1,2})?$/.test(String(value).trim()))
          throw new Error(t('金额格式错误，最多两位小数', 'Invalid amount: at most two decimals'));
      },
    },
  ];
}

export function rateRules(t: T): Rule[] {
  return [
    { required: true, message: t('请输入年利率', 'Enter the annual rate') },
    {
      pattern: /^\d{1,2}(\.\d{1,4})?$/,
      message: t('年利率为百分数，如 2.85', 'The annual rate in percent, e.g. 2.85'),
    },
  ];
}

/** A whole number from 0 to max (months, children), required unless said otherwise. */
export function wholeNumberRules(t: T, max: number, required = true): Rule[] {
  return [
    {
      required,
      type: 'integer',
      min: 0,
      max,
      message: t(`0–${max} 的整数`, `A whole number 0–${max}`),
    },
  ];
}

export function requiredRule(t: T, zh: string, en: string): Rule {
  return { required: true, whitespace: true, message: t(`请输入${zh}`, `Enter ${en}`) };
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
