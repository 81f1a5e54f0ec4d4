// The agreement's terms (rules.md §2): checks of the deposit plan against the published limits, and the
// rendering of the versioned terms text with the depositor's details into the exact text to be signed.
import { AppError } from './errors.ts';
import { fenToYuanString, type Fen } from './money.ts';

export const DEPOSIT_MODES = [
  { code: 'monthly', zh: '按月缴存', en: 'Monthly' },
  { code: 'quarterly', zh: '按季缴存', en: 'Quarterly' },
  { code: 'annual', zh: '按年缴存', en: 'Annual' },
  { code: 'flexible', zh: '灵活缴存', en: 'Flexible' },
] as const;
export type DepositMode = (typeof DEPOSIT_MODES)[number]['code'];

export interface DepositPlanTerms {
  depositMode: DepositMode;
  /** Agreed monthly amount M; periodic modes only (quarterly pays 3 × M, annual 12 × M). */
  monthlyAmountFen: Fen | null;
  /** Debit day 1–28; periodic modes only. */
  debitDay: number | null;
}

export interface DepositLimits {
  lowerFen: Fen;
  upperFen: Fen;
}

export function isDepositMode(value: string): value is DepositMode {
  return DEPOSIT_MODES.some((m) => m.code === value);
}

/** rules.md §3.2: periodic modes need lower ≤ M ≤ upper and a debit day 1–28; flexible has neither. */
export function validateDepositPlan(terms: DepositPlanTerms, limits: DepositLimits): void {
  if (!isDepositMode(terms.depositMode)) throw new AppError('DEPOSIT_MODE_INVALID', { field: 'depositMode' });
  if (terms.depositMode === 'flexible') {
    if (terms.monthlyAmountFen !== null)
      throw new AppError('MONTHLY_AMOUNT_NOT_ALLOWED', { field: 'monthlyAmount' });
    if (terms.debitDay !== null) throw new AppError('DEBIT_DAY_INVALID', { field: 'debitDay' });
    return;
  }
  if (terms.monthlyAmountFen === null)
    throw new AppError('MONTHLY_AMOUNT_REQUIRED', { field: 'monthlyAmount' });
  if (terms.monthlyAmountFen < limits.lowerFen) {
    throw new AppError('MONTHLY_AMOUNT_BELOW_LIMIT', {
      field: 'monthlyAmount',
      details: { lower: fenToYuanString(limits.lowerFen) },
    });
  }
  if (terms.monthlyAmountFen > limits.upperFen) {
    throw new AppError('MONTHLY_AMOUNT_ABOVE_LIMIT', {
      field: 'monthlyAmount',
      details: { upper: fenToYuanString(limits.upperFen) },
    });
  }
  if (
    terms.debitDay === null ||
    !Number.isInteger(terms.debitDay) ||
    terms.debitDay < 1 ||
    terms.debitDay > 28
  ) {
    throw new AppError('DEBIT_DAY_INVALID', { field: 'debitDay' });
  }
}

export function assertBankCard(card: string): string {
  const digits = card.replace(/\s+/g, '');
  if (!/^\d{12,19}$/.test(digits)) throw new AppError('BANK_CARD_INVALID', { field: 'bankCard' });
  return digits;
}

export function maskBankCard(card: string): string {
  return card.length <= 8 ? card : `${card.slice(0, 4)} **** **** ${card.slice(-4)}`;
}

export interface AgreementTextInput {
  name: string;
  idNumberMasked: string;
  terms: DepositPlanTerms;
  bankCard: string;
  consentDataCheck: boolean;
}

/** Fills the terms template ({{placeholders}}) so that what is shown is exactly what is hashed and signed. */
export function renderAgreementText(template: string, input: AgreementTextInput): string {
  const mode = DEPOSIT_MODES.find((m) => m.code === input.terms.depositMode)!;
  const values: Record<string, string> = {
    name: input.name,
    idNumberMasked: input.idNumberMasked,
    depositModeZh: mode.zh,
    depositModeEn: mode.en,
    monthlyAmount:
      input.terms.monthlyAmountFen === null ? '—' : fenToYuanString(input.terms.monthlyAmountFen),
    bankCard: maskBankCard(input.bankCard),
    debitDay: input.terms.debitDay === null ? '—' : String(input.terms.debitDay),
    consentZh: input.consentDataCheck ? '同意' : '不同意',
    consentEn: input.consentDataCheck ? 'agreed' : 'not agreed',
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}
