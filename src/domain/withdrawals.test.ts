// Withdrawal rules as the rule book states them (rules.md §5.1, §5.2): every failed rule reported, the
// yearly rent cap and the public-rental exception, the lease's months, the standing order's pay days.
import { describe, expect, it } from 'vitest';
import {
  checkWithdrawal,
  firstRentDueDate,
  leaseMonths,
  nextRentDueDate,
  rentCapFen,
  type WithdrawalFacts,
} from './withdrawals.ts';

const lease = {
  landlordName: '王',
  leaseAddress: '包头',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-12-31',
  monthlyRentFen: 150000n,
  contractNo: 'C1',
  publicRental: false,
};

const facts = (overrides: Partial<WithdrawalFacts> = {}): WithdrawalFacts => ({
  kind: 'free',
  accountKind: 'flexible',
  accountState: '01',
  consecutiveMonths: 6,
  minConsecutiveMonths: 6,
  loanOutstanding: false,
  balanceFen: 1_000_000n,
  amountFen: 100_000n,
  ...overrides,
});

describe('checkWithdrawal', () => {
  it('allows a free withdrawal after 6 consecutive covered months with no loan (§5.2)', () => {
    expect(checkWithdrawal(facts())).toMatchObject({ eligible: true, failures: [], reviewReasons: [] });
  });

  it('reports every failed rule, not only the first', () => {
    const result = checkWithdrawal(
      facts({ accountState: '06', consecutiveMonths: 5, loanOutstanding: true, amountFen: 2_000_000n }),
    );
    expect(result.failures.map((f) => f.code)).toEqual([
      'WITHDRAWAL_ACCOUNT_FROZEN',
      'WITHDRAWAL_TOO_FEW_MONTHS',
      'WITHDRAWAL_LOAN_OUTSTANDING',
      'WITHDRAWAL_INSUFFICIENT_BALANCE',
    ]);
  });

  it('always allows closure but for a frozen account or a loan (§5.2)', () => {
    expect(checkWithdrawal(facts({ kind: 'closure', consecutiveMonths: 0, amountFen: 0n })).eligible).toBe(
      true,
    );
    expect(checkWithdrawal(facts({ kind: 'closure', loanOutstanding: true })).failures[0]?.code).toBe(
      'WITHDRAWAL_LOAN_OUTSTANDING',
    );
  });

  it('caps rent at 14,000.00 a calendar year, less what was withdrawn (§5.1)', () => {
    const rent = (amountFen: bigint, usedThisYearFen: bigint) =>
      checkWithdrawal(
        facts({
          kind: 'rent',
          amountFen,
          rent: {
            declaredNoHousing: true,
            housing: 'no_housing',
            lease,
            annualCapFen: 1_400_000n,
            usedThisYearFen,
          },
        }),
      );
    expect(rent(400_000n, 1_000_000n)).toMatchObject({
      eligible: true,
      capFen: 1_400_000n,
      roomFen: 400_000n,
    });
    expect(rent(400_001n, 1_000_000n).failures.map((f) => f.code)).toEqual(['WITHDRAWAL_OVER_ANNUAL_CAP']);
  });

  it('lets a public-rental tenant withdraw the contract rent of a year instead, after review', () => {
    expect(rentCapFen(1_400_000n, { publicRental: true, monthlyRentFen: 150_000n })).toBe(1_800_000n);
    const result = checkWithdrawal(
      facts({
        kind: 'rent',
        amountFen: 1_800_000n,
        balanceFen: 2_000_000n,
        rent: {
          declaredNoHousing: true,
          housing: 'no_housing',
          lease: { ...lease, publicRental: true },
          annualCapFen: 1_400_000n,
          usedThisYearFen: 0n,
        },
      }),
    );
    expect(result.eligible).toBe(true);
    expect(result.reviewReasons.map((r) => r.code)).toEqual(['WITHDRAWAL_OVER_ANNUAL_CAP']);
  });

  it('refuses owners and missing declarations; an unanswered registry goes to review', () => {
    const rent = (declaredNoHousing: boolean, housing: 'owns_housing' | 'no_housing' | 'unavailable') =>
      checkWithdrawal(
        facts({
          kind: 'rent',
          rent: { declaredNoHousing, housing, lease, annualCapFen: 1_400_000n, usedThisYearFen: 0n },
        }),
      );
    expect(rent(false, 'owns_housing').failures.map((f) => f.code)).toEqual([
      'WITHDRAWAL_NO_HOUSING_NOT_DECLARED',
      'WITHDRAWAL_OWNS_HOUSING',
    ]);
    const waiting = rent(true, 'unavailable');
    expect(waiting.eligible).toBe(true);
    expect(waiting.reviewReasons.map((r) => r.code)).toEqual(['HOUSING_REGISTRY_UNAVAILABLE']);
  });
});

describe('lease months and standing order pay days', () => {
  it('counts the calendar months a lease covers, both ends included', () => {
    expect(leaseMonths('2025-01-15', '2025-12-14')).toBe(12);
    expect(leaseMonths('2025-03-01', '2025-03-31')).toBe(1);
  });

  it('pays on the pay day of each month', () => {
    expect(firstRentDueDate('2025-03-03', 5)).toBe('2025-03-05');
    expect(firstRentDueDate('2025-03-06', 5)).toBe('2025-04-05');
    expect(nextRentDueDate('2025-03-05', 5)).toBe('2025-04-05');
    expect(nextRentDueDate('2025-12-20', 28)).toBe('2025-12-28');
    expect(nextRentDueDate('2025-12-28', 28)).toBe('2026-01-28');
  });
});
