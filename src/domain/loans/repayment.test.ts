// rules.md §6.5 as worked examples: the penalty per day, days past due, the five-level class, the marks
// after missed installments, and the waterfall.
import { describe, expect, it } from 'vitest';
import {
  allocateRepayment,
  dailyPenaltyFen,
  daysPastDue,
  isEnforcementDue,
  longestConsecutiveRun,
  penaltyForDays,
  repaymentBusinessType,
  riskClassOf,
} from './repayment.ts';

describe('penalty interest (rules.md §6.5)', () => {
  it('is (overdue principal + interest) × rate / 360 × 1.5 a day, rounded half-up to the fen per day', () => {
    // 2,001.70 overdue at 2.6 %: 200,170 × 0.026 / 360 × 1.5 = 21.685… fen → 22 fen a day.
    expect(dailyPenaltyFen(200170n, '2.6')).toBe(22n);
    // 1,000.00 at 2.35 %: 100,000 × 0.0235 / 360 × 1.5 = 9.79… → 10 fen.
    expect(dailyPenaltyFen(100000n, '2.35')).toBe(10n);
    // Exactly half a fen rounds up: 4,800 × 2.5 % / 360 × 1.5 = 0.5 fen.
    expect(dailyPenaltyFen(4800n, '2.5')).toBe(1n);
    expect(dailyPenaltyFen(0n, '2.6')).toBe(0n);
  });

  it('N days on an unchanged base are N × one day (a catch-up books what N single closes book)', () => {
    const oneByOne = [1, 2, 3, 4, 5].reduce((s) => s + dailyPenaltyFen(200170n, '2.6'), 0n);
    expect(penaltyForDays(200170n, '2.6', 5)).toBe(oneByOne);
    expect(penaltyForDays(200170n, '2.6', 0)).toBe(0n);
  });
});

describe('days past due and the five-level class', () => {
  it('counts from the due date of the oldest unpaid installment', () => {
    expect(daysPastDue('2025-06-06', '2025-06-06')).toBe(0);
    expect(daysPastDue('2025-06-07', '2025-06-06')).toBe(1);
    expect(daysPastDue('2025-08-07', '2025-06-06')).toBe(62);
    expect(daysPastDue('2025-08-07', null)).toBe(0);
  });

  it('0 正常; 1–90 关注; 91–180 次级; 181–360 可疑; over 360 损失', () => {
    const classOf = (d: number) => riskClassOf(d).nameZh;
    expect([0, 1, 90, 91, 180, 181, 360, 361].map(classOf)).toEqual([
      '正常',
      '关注',
      '关注',
      '次级',
      '次级',
      '可疑',
      '可疑',
      '损失',
    ]);
    expect(riskClassOf(400).code).toBe('05');
  });
});

describe('collateral enforcement and the defaulter list', () => {
  it('three consecutive or six cumulative missed installments', () => {
    expect(longestConsecutiveRun([1, 2, 4, 5, 6])).toBe(3);
    expect(longestConsecutiveRun([])).toBe(0);
    expect(isEnforcementDue([1, 3, 5])).toBe(false);
    expect(isEnforcementDue([4, 5, 6])).toBe(true);
    expect(isEnforcementDue([1, 3, 5, 7, 9])).toBe(false);
    expect(isEnforcementDue([1, 3, 5, 7, 9, 11])).toBe(true);
  });
});

describe('the waterfall (rules.md §6.5)', () => {
  const owed = {
    penaltyFen: 150n,
    installments: [
      { period: 2, interestFen: 900n, principalFen: 9000n, overdue: true },
      { period: 1, interestFen: 1000n, principalFen: 8000n, overdue: true },
      { period: 3, interestFen: 800n, principalFen: 9100n, overdue: false },
    ],
  };

  it('clears penalty, then overdue interest, then overdue principal (oldest first), then the current installment', () => {
    const a = allocateRepayment(150n + 1000n + 900n + 8000n + 500n, owed);
    expect(a.lines).toEqual([
      { component: 'penalty', period: null, overdue: true, amountFen: 150n },
      { component: 'interest', period: 1, overdue: true, amountFen: 1000n },
      { component: 'interest', period: 2, overdue: true, amountFen: 900n },
      { component: 'principal', period: 1, overdue: true, amountFen: 8000n },
      { component: 'principal', period: 2, overdue: true, amountFen: 500n },
    ]);
    expect(a.unappliedFen).toBe(0n);
    expect(repaymentBusinessType('counter', a)).toBe('04');
  });

  it('pays the current installment interest first, and leaves anything beyond what is owed unapplied', () => {
    const a = allocateRepayment(30000n, owed);
    expect(a.penaltyFen + a.overdueInterestFen + a.overduePrincipalFen).toBe(150n + 1900n + 17000n);
    expect(a.interestFen).toBe(800n);
    expect(a.principalFen).toBe(9100n);
    expect(a.unappliedFen).toBe(30000n - 28950n);
    const onTime = allocateRepayment(500n, { penaltyFen: 0n, installments: [owed.installments[2]!] });
    expect(onTime.lines).toEqual([{ component: 'interest', period: 3, overdue: false, amountFen: 500n }]);
    expect(repaymentBusinessType('debit', onTime)).toBe('02');
    expect(repaymentBusinessType('offset', a)).toBe('05');
  });
});
