// Withdrawal rules (rules.md §5.1 rent, §5.2 free and closure): every rule checked, every failure reported
// (the first one is the error code a refusal carries), plus what sends a request to human review.
import { addMonths, compareDates, formatDate, isIsoDate, monthsBetween, monthOf, parts } from './dates.ts';
import { AppError, errorBody, type ErrorCode } from './errors.ts';
import type { EligibilityFailure } from './eligibility.ts';
import { fenToYuanString, type Fen } from './money.ts';
import type { AccountStateCode } from './eligibility.ts';

/** 提取: 租房 / 灵活提取 / 销户. */
export type WithdrawalKind = 'rent' | 'free' | 'closure';

/** What the housing registry said about the person and spouse (rules.md §5.1). */
export type HousingCheck = 'owns_housing' | 'no_housing' | 'unavailable';

export interface LeaseTerms {
  landlordName: string;
  leaseAddress: string;
  leaseStart: string;
  leaseEnd: string;
  monthlyRentFen: Fen;
  contractNo: string;
  /** 公租房: the tenant may withdraw the actual contract rent instead of the cap. */
  publicRental: boolean;
}

export interface WithdrawalFacts {
  kind: WithdrawalKind;
  accountKind: 'flexible' | 'unit';
  accountState: AccountStateCode;
  consecutiveMonths: number;
  minConsecutiveMonths: number;
  loanOutstanding: boolean;
  balanceFen: Fen;
  /** The amount asked for; for a closure, the whole balance (checked elsewhere). */
  amountFen: Fen;
  rent?: {
    declaredNoHousing: boolean;
    housing: HousingCheck;
    lease: LeaseTerms;
    /** The cap in force (rules.md §5.1) and what the person already withdrew for rent this calendar year. */
    annualCapFen: Fen;
    usedThisYearFen: Fen;
  };
}

export interface WithdrawalCheck {
  eligible: boolean;
  failures: EligibilityFailure[];
  /** What a human must look at before the money moves (not a refusal). */
  reviewReasons: EligibilityFailure[];
  /** For rent: the cap that applies this year and the room left under it. */
  capFen?: Fen;
  roomFen?: Fen;
}

function failure(code: ErrorCode, field: string, details?: Record<string, unknown>): EligibilityFailure {
  const body = errorBody(code);
  const result: EligibilityFailure = {
    code,
    field,
    message_zh: body.message_zh,
    message_en: body.message_en,
  };
  if (details !== undefined) result.details = details;
  return result;
}

/** Number of calendar months a lease covers, both ends' months included. */
export function leaseMonths(leaseStart: string, leaseEnd: string): number {
  return monthsBetween(monthOf(leaseStart), monthOf(leaseEnd)) + 1;
}

/** Checks lease fields for shape; a malformed lease is a bad request (WITHDRAWAL_LEASE_INVALID). */
export function assertLease(lease: LeaseTerms): void {
  const blank = (text: string) => text.trim().length === 0 || text.length > 200;
  const field = blank(lease.landlordName)
    ? 'landlordName'
    : blank(lease.leaseAddress)
      ? 'leaseAddress'
      : blank(lease.contractNo)
        ? 'contractNo'
        : !isIsoDate(lease.leaseStart)
          ? 'leaseStart'
          : !isIsoDate(lease.leaseEnd) || compareDates(lease.leaseEnd, lease.leaseStart) < 0
            ? 'leaseEnd'
            : lease.monthlyRentFen <= 0n
              ? 'monthlyRent'
              : null;
  if (field) throw new AppError('WITHDRAWAL_LEASE_INVALID', { field });
}

/**
 * The yearly rent cap that applies: the parameter, or for public-rental tenants the actual contract rent
 * of a year (monthly rent × 12) instead (rules.md §5.1).
 */
export function rentCapFen(
  annualCapFen: Fen,
  lease: Pick<LeaseTerms, 'publicRental' | 'monthlyRentFen'>,
): Fen {
  return lease.publicRental ? lease.monthlyRentFen * 12n : annualCapFen;
}

/**
 * Every rule of §5.1 / §5.2 for a withdrawal. Account state, months, loan and balance apply to rent and
 * free withdrawals; a closure is always allowed (§5.2) but for a frozen account or an outstanding loan.
 */
export function checkWithdrawal(facts: WithdrawalFacts): WithdrawalCheck {
  const failures: EligibilityFailure[] = [];
  const reviewReasons: EligibilityFailure[] = [];
  const fail = (code: ErrorCode, field: string, details?: Record<string, unknown>) =>
    failures.push(failure(code, field, details));

  if (facts.accountKind !== 'flexible') fail('WITHDRAWAL_NOT_FLEXIBLE', 'accountId');
  if (facts.accountState === '06') fail('WITHDRAWAL_ACCOUNT_FROZEN', 'accountId');
  else if (['03', '04', '05', '99'].includes(facts.accountState)) {
    fail('WITHDRAWAL_ACCOUNT_CLOSED', 'accountId', { state: facts.accountState });
  }
  if (facts.kind !== 'closure' && facts.consecutiveMonths < facts.minConsecutiveMonths) {
    fail('WITHDRAWAL_TOO_FEW_MONTHS', 'accountId', {
      consecutiveMonths: facts.consecutiveMonths,
      required: facts.minConsecutiveMonths,
    });
  }
  if (facts.loanOutstanding) fail('WITHDRAWAL_LOAN_OUTSTANDING', 'accountId');

  let capFen: Fen | undefined;
  let roomFen: Fen | undefined;
  if (facts.kind === 'rent') {
    const rent = facts.rent;
    if (!rent) throw new AppError('WITHDRAWAL_LEASE_INVALID', { field: 'lease' });
    if (!rent.declaredNoHousing) fail('WITHDRAWAL_NO_HOUSING_NOT_DECLARED', 'declaredNoHousing');
    if (rent.housing === 'owns_housing') fail('WITHDRAWAL_OWNS_HOUSING', 'declaredNoHousing');
    if (rent.housing === 'unavailable')
      reviewReasons.push(failure('HOUSING_REGISTRY_UNAVAILABLE', 'housing'));
    capFen = rentCapFen(rent.annualCapFen, rent.lease);
    roomFen = capFen > rent.usedThisYearFen ? capFen - rent.usedThisYearFen : 0n;
    if (facts.amountFen > roomFen) {
      fail('WITHDRAWAL_OVER_ANNUAL_CAP', 'amount', {
        cap: fenToYuanString(capFen),
        used: fenToYuanString(rent.usedThisYearFen),
        room: fenToYuanString(roomFen),
        publicRental: rent.lease.publicRental,
      });
    }
    const leaseRentFen =
      rent.lease.monthlyRentFen * BigInt(leaseMonths(rent.lease.leaseStart, rent.lease.leaseEnd));
    if (facts.amountFen > leaseRentFen) {
      fail('WITHDRAWAL_OVER_RENT_PAID', 'amount', { leaseRent: fenToYuanString(leaseRentFen) });
    }
    // A public-rental tenant above the general cap: the contract is checked by a person (ours).
    if (rent.lease.publicRental && facts.amountFen + rent.usedThisYearFen > rent.annualCapFen) {
      reviewReasons.push(failure('WITHDRAWAL_OVER_ANNUAL_CAP', 'publicRental', { publicRental: true }));
    }
  }
  if (facts.kind !== 'closure' && facts.amountFen > facts.balanceFen) {
    fail('WITHDRAWAL_INSUFFICIENT_BALANCE', 'amount', { balance: fenToYuanString(facts.balanceFen) });
  }
  const result: WithdrawalCheck = { eligible: failures.length === 0, failures, reviewReasons };
  if (capFen !== undefined) result.capFen = capFen;
  if (roomFen !== undefined) result.roomFen = roomFen;
  return result;
}

/** Throws the first failure's code, carrying every failure (so a caller sees all reasons at once). */
export function assertEligible(check: WithdrawalCheck): void {
  const first = check.failures[0];
  if (!first) return;
  throw new AppError(first.code, {
    field: first.field,
    details: { ...(first.details ?? {}), failures: check.failures },
  });
}

/** The next payment day of a standing rent order strictly after `after` (pay day 1–28 of a month). */
export function nextRentDueDate(after: string, payDay: number): string {
  const { year, month } = parts(after);
  const thisMonth = formatDate(year, month, payDay);
  return compareDates(thisMonth, after) > 0 ? thisMonth : addMonths(thisMonth, 1);
}

/** The first payment day on or after `from`. */
export function firstRentDueDate(from: string, payDay: number): string {
  const { year, month } = parts(from);
  const thisMonth = formatDate(year, month, payDay);
  return compareDates(thisMonth, from) >= 0 ? thisMonth : addMonths(thisMonth, 1);
}
