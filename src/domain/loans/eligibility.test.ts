// rules.md §6.1 as examples: every failed rule reported, the credit thresholds at their edges, the term rule.
import { describe, expect, it } from 'vitest';
import { checkLoanEligibility, type LoanEligibilityInput } from './eligibility.ts';

const clean = {
  cardDelinquencies12m: 0,
  maxConsecutiveMissed48m: 0,
  totalMissedInstallments: 0,
  outstandingHpfLoansElsewhere: 0,
};
const good: LoanEligibilityInput = {
  contractDate: '2025-05-06',
  accountOpen: true,
  consecutiveMonths: 6,
  outstandingLoanHere: false,
  missedPeriods: 0,
  credit: [clean],
  houseInCity: true,
  termMonths: 360,
  birthDate: '1990-01-01',
  retirementGroup: 'male',
};

describe('loan eligibility (rules.md §6.1)', () => {
  it('passes at the edges: 6 months, 6 card delinquencies, a run of 5, 24 missed in total', () => {
    const r = checkLoanEligibility({
      ...good,
      credit: [
        { ...clean, cardDelinquencies12m: 6, maxConsecutiveMissed48m: 5, totalMissedInstallments: 24 },
      ],
    });
    expect(r).toEqual({ eligible: true, failures: [], maximumTermMonths: 360 });
  });

  it('reports every failed rule with its reason', () => {
    const r = checkLoanEligibility({
      ...good,
      accountOpen: false,
      consecutiveMonths: 5,
      outstandingLoanHere: true,
      missedPeriods: 1,
      credit: [
        clean,
        {
          cardDelinquencies12m: 7,
          maxConsecutiveMissed48m: 6,
          totalMissedInstallments: 25,
          outstandingHpfLoansElsewhere: 1,
        },
      ],
      houseInCity: false,
      termMonths: 361,
    });
    expect(r.eligible).toBe(false);
    expect(r.failures.map((f) => f.code)).toEqual([
      'LOAN_ACCOUNT_NOT_OPEN',
      'LOAN_CONSECUTIVE_MONTHS_TOO_FEW',
      'LOAN_OUTSTANDING_HERE',
      'LOAN_OUTSTANDING_ELSEWHERE',
      'LOAN_IN_MISSED_PERIOD',
      'LOAN_CARD_DELINQUENCIES',
      'LOAN_CONSECUTIVE_MISSED_INSTALLMENTS',
      'LOAN_TOTAL_MISSED_INSTALLMENTS',
      'LOAN_HOUSE_NOT_IN_CITY',
      'LOAN_TERM_INVALID',
    ]);
    expect(r.failures[5]!.details).toEqual({ who: 'spouse', value: 7, maximum: 6 });
    expect(r.failures.every((f) => f.message_zh && f.message_en)).toBe(true);
  });

  it('limits the term to retirement age + 5 years at maturity', () => {
    const r = checkLoanEligibility({ ...good, birthDate: '1968-03-03', termMonths: 360 });
    expect(r.failures.map((f) => f.code)).toEqual(['LOAN_TERM_BEYOND_AGE_LIMIT']);
    expect(r.maximumTermMonths).toBeLessThan(120);
    expect(
      checkLoanEligibility({ ...good, birthDate: '1968-03-03', termMonths: r.maximumTermMonths }).eligible,
    ).toBe(true);
    const old = checkLoanEligibility({ ...good, birthDate: '1955-01-01', termMonths: 12 });
    expect(old.failures.map((f) => f.code)).toEqual(['LOAN_TERM_NOT_AVAILABLE']);
  });
});
