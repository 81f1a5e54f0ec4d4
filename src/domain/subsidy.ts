// The deposit subsidy paid once on closure by withdrawal (rules.md §4.2, 缴存补贴): who qualifies, and
// Σ amount × rate % × days from credit to closure / 360, rounded half-up once, within the lifetime cap.
import { Decimal } from 'decimal.js';
import { addMonths, daysBetween, isIsoDate, type IsoDate } from './dates.ts';
import { errorBody, AppError, type ErrorCode } from './errors.ts';
import { fenToYuanString, minFen, roundHalfUpToFen, type Fen } from './money.ts';

/** Exact enough that the one division by 36,000 leaves the half-up rounding to the fen unaffected. */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

/** Actual days divided by 360, as for interest (rules.md §4.2). */
export const SUBSIDY_DAY_BASIS = 360;

export interface SubsidyReason {
  code: ErrorCode;
  message_zh: string;
  message_en: string;
}

export interface SubsidyUse {
  withdrawal: boolean;
  loan: boolean;
  transferOut: boolean;
  conversion: boolean;
}

export interface SubsidyResult {
  eligible: boolean;
  /** Why not eligible (empty when eligible); codes are in the error catalog. */
  reasons: SubsidyReason[];
  /** What is paid: 0 when not eligible, else the rounded amount within the remaining lifetime cap. */
  subsidyFen: Fen;
  /** The rounded amount before the cap (computed whether or not eligible, to explain the decision). */
  uncappedFen: Fen;
  /** True when the lifetime cap cut the amount. */
  capped: boolean;
  perDeposit: Array<{ date: IsoDate; amountFen: Fen; days: number; subsidyFen: Decimal }>;
}

const USE_REASONS: Array<[keyof SubsidyUse, ErrorCode]> = [
  ['withdrawal', 'SUBSIDY_USED_WITHDRAWAL'],
  ['loan', 'SUBSIDY_USED_LOAN'],
  ['transferOut', 'SUBSIDY_USED_TRANSFER_OUT'],
  ['conversion', 'SUBSIDY_USED_CONVERSION'],
];

function reason(code: ErrorCode): SubsidyReason {
  const body = errorBody(code);
  return { code, message_zh: body.message_zh, message_en: body.message_en };
}

/**
 * The deposit subsidy on closure by withdrawal (rules.md §4.2). Eligible when the closure date is at least one
 * year after the first deposit (a Feb 29 first deposit reaches its year on Feb 28) and the account was never
 * used (no withdrawal, loan, transfer out or conversion). Amount: Σ amount × rate % × days(credit → closure)
 * / 360, rounded half-up once, limited to the lifetime cap less what was already paid to the person.
 */
export function depositSubsidy(input: {
  closureDate: IsoDate;
  annualRatePct: Decimal;
  capFen: Fen;
  alreadyPaidFen?: Fen;
  deposits: ReadonlyArray<{ date: IsoDate; amountFen: Fen }>;
  /** The first deposit's credit date; null when there was none. */
  firstDepositDate: IsoDate | null;
  used: SubsidyUse;
}): SubsidyResult {
  const { closureDate, annualRatePct, capFen, deposits, firstDepositDate, used } = input;
  const alreadyPaidFen = input.alreadyPaidFen ?? 0n;
  if (!isIsoDate(closureDate)) {
    throw new AppError('INVALID_DATE', { field: 'closureDate', details: { value: closureDate } });
  }
  if (!annualRatePct.isFinite() || annualRatePct.isNegative()) {
    throw new AppError('INVALID_RATE', { field: 'annualRate', details: { value: annualRatePct.toString() } });
  }
  if (capFen < 0n)
    throw new AppError('AMOUNT_NEGATIVE', { field: 'cap', details: { value: fenToYuanString(capFen) } });
  if (alreadyPaidFen < 0n) {
    throw new AppError('AMOUNT_NEGATIVE', {
      field: 'alreadyPaid',
      details: { value: fenToYuanString(alreadyPaidFen) },
    });
  }
  if (firstDepositDate !== null && !isIsoDate(firstDepositDate)) {
    throw new AppError('INVALID_DATE', { field: 'firstDepositDate', details: { value: firstDepositDate } });
  }

  let exact = new Exact(0);
  const perDeposit: SubsidyResult['perDeposit'] = [];
  for (const d of deposits) {
    if (!isIsoDate(d.date))
      throw new AppError('INVALID_DATE', { field: 'deposits.date', details: { value: d.date } });
    if (d.amountFen <= 0n) {
      throw new AppError('AMOUNT_NOT_POSITIVE', {
        field: 'deposits.amount',
        details: { value: fenToYuanString(d.amountFen) },
      });
    }
    if (d.date > closureDate) {
      throw new AppError('SUBSIDY_DEPOSIT_AFTER_CLOSURE', {
        field: 'deposits.date',
        details: { date: d.date },
      });
    }
    const days = daysBetween(d.date, closureDate);
    const subsidyFen = new Exact(d.amountFen.toString())
      .times(new Exact(annualRatePct))
      .times(days)
      .div(SUBSIDY_DAY_BASIS * 100);
    exact = exact.plus(subsidyFen);
    perDeposit.push({ date: d.date, amountFen: d.amountFen, days, subsidyFen });
  }
  const uncappedFen = roundHalfUpToFen(exact);

  const reasons: SubsidyReason[] = [];
  if (firstDepositDate === null || deposits.length === 0) reasons.push(reason('SUBSIDY_NO_DEPOSITS'));
  else if (closureDate < addMonths(firstDepositDate, 12)) reasons.push(reason('SUBSIDY_LESS_THAN_ONE_YEAR'));
  for (const [use, code] of USE_REASONS) if (used[use]) reasons.push(reason(code));

  const eligible = reasons.length === 0;
  const roomFen = capFen > alreadyPaidFen ? capFen - alreadyPaidFen : 0n;
  const subsidyFen = eligible ? minFen(uncappedFen, roomFen) : 0n;
  return {
    eligible,
    reasons,
    subsidyFen,
    uncappedFen,
    capped: eligible && uncappedFen > roomFen,
    perDeposit,
  };
}
