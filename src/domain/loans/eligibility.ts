// Who may borrow (rules.md §6.1): every rule checked, every failed one reported with its reason, so the
// counter and the portal can show the whole list at once. Pure: the service gathers the facts.
import { AppError, errorBody, type ErrorCode } from '../errors.ts';
import type { IsoDate } from '../dates.ts';
import type { RetirementGroup } from '../retirement.ts';
import { DEFAULT_QUOTA_PARAMETERS, maximumTerm, type QuotaParameters } from './quota.ts';

/** What a credit report says, as far as §6.1 asks (the bureau's summary). */
export interface CreditReportSummaryFacts {
  cardDelinquencies12m: number;
  maxConsecutiveMissed48m: number;
  totalMissedInstallments: number;
  outstandingHpfLoansElsewhere: number;
}

/** The credit thresholds of §6.1 (a failure is strictly above the maximum, or at/above the run). */
export interface CreditThresholds {
  /** No more than this many card delinquencies in 12 months. */
  maxCardDelinquencies12m: number;
  /** A run of this many consecutive missed installments on one loan in 48 months fails. */
  consecutiveMissedRun48m: number;
  /** No more than this many missed installments in total. */
  maxTotalMissedInstallments: number;
}

export const DEFAULT_CREDIT_THRESHOLDS: CreditThresholds = {
  maxCardDelinquencies12m: 6,
  consecutiveMissedRun48m: 6,
  maxTotalMissedInstallments: 24,
};

export interface LoanEligibilityInput {
  contractDate: IsoDate;
  accountOpen: boolean;
  consecutiveMonths: number;
  /** A loan here, disbursed and not settled, of the applicant or the spouse co-applicant. */
  outstandingLoanHere: boolean;
  /** Missed periodic periods not caught up (rules.md §3.2). */
  missedPeriods: number;
  /** The credit reports of the applicant and, when asked for, the spouse. */
  credit: readonly CreditReportSummaryFacts[];
  houseInCity: boolean;
  termMonths: number;
  birthDate: IsoDate;
  retirementGroup: RetirementGroup;
}

export interface LoanEligibilityFailure {
  code: ErrorCode;
  field: string;
  message_zh: string;
  message_en: string;
  details?: Record<string, unknown>;
}

export interface LoanEligibilityResult {
  eligible: boolean;
  failures: LoanEligibilityFailure[];
  /** The longest term the age rule allows (0 when none). */
  maximumTermMonths: number;
}

function failure(code: ErrorCode, field: string, details?: Record<string, unknown>): LoanEligibilityFailure {
  const body = errorBody(code);
  return {
    code,
    field,
    message_zh: body.message_zh,
    message_en: body.message_en,
    ...(details === undefined ? {} : { details }),
  };
}

export function checkLoanEligibility(
  input: LoanEligibilityInput,
  params: QuotaParameters = DEFAULT_QUOTA_PARAMETERS,
  thresholds: CreditThresholds = DEFAULT_CREDIT_THRESHOLDS,
): LoanEligibilityResult {
  const failures: LoanEligibilityFailure[] = [];
  if (!input.accountOpen) failures.push(failure('LOAN_ACCOUNT_NOT_OPEN', 'accountId'));
  const minimum = params.durationBands[0]?.fromMonths ?? 0;
  if (input.consecutiveMonths < minimum) {
    failures.push(
      failure('LOAN_CONSECUTIVE_MONTHS_TOO_FEW', 'consecutiveMonths', {
        consecutiveMonths: input.consecutiveMonths,
        minimum,
      }),
    );
  }
  if (input.outstandingLoanHere) failures.push(failure('LOAN_OUTSTANDING_HERE', 'depositorId'));
  const elsewhere = input.credit.reduce((n, r) => n + r.outstandingHpfLoansElsewhere, 0);
  if (elsewhere > 0) {
    failures.push(failure('LOAN_OUTSTANDING_ELSEWHERE', 'creditReport', { loans: elsewhere }));
  }
  if (input.missedPeriods > 0) {
    failures.push(failure('LOAN_IN_MISSED_PERIOD', 'accountId', { missedPeriods: input.missedPeriods }));
  }
  input.credit.forEach((report, i) => {
    const who = i === 0 ? 'applicant' : 'spouse';
    if (report.cardDelinquencies12m > thresholds.maxCardDelinquencies12m) {
      failures.push(
        failure('LOAN_CARD_DELINQUENCIES', 'creditReport', {
          who,
          value: report.cardDelinquencies12m,
          maximum: thresholds.maxCardDelinquencies12m,
        }),
      );
    }
    if (report.maxConsecutiveMissed48m >= thresholds.consecutiveMissedRun48m) {
      failures.push(
        failure('LOAN_CONSECUTIVE_MISSED_INSTALLMENTS', 'creditReport', {
          who,
          value: report.maxConsecutiveMissed48m,
          limit: thresholds.consecutiveMissedRun48m,
        }),
      );
    }
    if (report.totalMissedInstallments > thresholds.maxTotalMissedInstallments) {
      failures.push(
        failure('LOAN_TOTAL_MISSED_INSTALLMENTS', 'creditReport', {
          who,
          value: report.totalMissedInstallments,
          maximum: thresholds.maxTotalMissedInstallments,
        }),
      );
    }
  });
  if (!input.houseInCity) failures.push(failure('LOAN_HOUSE_NOT_IN_CITY', 'houseInCity'));

  // Term: at most 30 years, and age at maturity ≤ retirement age + 5 years.
  let maximumTermMonths = 0;
  try {
    const limit = maximumTerm(
      {
        contractDate: input.contractDate,
        birthDate: input.birthDate,
        retirementGroup: input.retirementGroup,
      },
      params,
    );
    maximumTermMonths = limit.maximumMonths;
    if (
      !Number.isInteger(input.termMonths) ||
      input.termMonths < 1 ||
      input.termMonths > params.maxTermMonths
    ) {
      failures.push(failure('LOAN_TERM_INVALID', 'termMonths', { value: input.termMonths }));
    } else if (input.termMonths > limit.maximumMonths) {
      failures.push(
        failure('LOAN_TERM_BEYOND_AGE_LIMIT', 'termMonths', {
          months: input.termMonths,
          maximumMonths: limit.maximumMonths,
          latestMaturity: limit.ageLimit?.latestMaturity,
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'LOAN_TERM_NOT_AVAILABLE') throw error;
    failures.push(failure('LOAN_TERM_NOT_AVAILABLE', 'termMonths', error.details));
  }
  return { eligible: failures.length === 0, failures, maximumTermMonths };
}
