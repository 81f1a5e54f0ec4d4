// rules.md §9 信用等级, with the points of docs/decisions/0008-credit-grade.md: regularity (up to 40),
// tenure (up to 30), repayment record (up to 30); A from 80, B from 50, else C; D for a defaulter or fraud.
import { describe, expect, it } from 'vitest';
import { creditGradeOf, type CreditFacts } from './credit-grade.ts';

const newcomer: CreditFacts = {
  coveredLast12: 0,
  coveredTotal: 0,
  missedPeriodsLast12: 0,
  hasLoan: false,
  missedInstallmentsLast24: 0,
  overdueNow: 0,
  defaulter: false,
  fraudFound: false,
};

const points = (facts: CreditFacts) =>
  Object.fromEntries(creditGradeOf(facts).reasons.map((r) => [r.code, r.points]));

describe('the credit grade', () => {
  it('a newcomer without a loan: 20 points for the clean record, grade C', () => {
    expect(creditGradeOf(newcomer)).toMatchObject({ grade: 'C', score: 20 });
    expect(points(newcomer)).toEqual({ REGULARITY: 0, TENURE: 0, NO_LOAN: 20 });
  });

  it('six months deposited: 20 + 10 + 20 = 50, grade B (a loan is possible from six months)', () => {
    const six = { ...newcomer, coveredLast12: 6, coveredTotal: 6 };
    expect(creditGradeOf(six)).toMatchObject({ grade: 'B', score: 50 });
  });

  it('a year without a gap: 40 + 18 + 20 = 78, still B; two years: 40 + 24 + 20 = 84, A', () => {
    expect(creditGradeOf({ ...newcomer, coveredLast12: 12, coveredTotal: 12 })).toMatchObject({
      grade: 'B',
      score: 78,
    });
    expect(creditGradeOf({ ...newcomer, coveredLast12: 12, coveredTotal: 24 })).toMatchObject({
      grade: 'A',
      score: 84,
    });
  });

  it('a loan repaid on time earns the full 30; missed installments take them away', () => {
    const borrower = { ...newcomer, coveredLast12: 12, coveredTotal: 40, hasLoan: true };
    expect(creditGradeOf(borrower)).toMatchObject({ grade: 'A', score: 100 });
    expect(points({ ...borrower, missedInstallmentsLast24: 1 }).REPAYMENT_MISSED).toBe(15);
    expect(points({ ...borrower, missedInstallmentsLast24: 2 }).REPAYMENT_MISSED).toBe(5);
    expect(creditGradeOf({ ...borrower, missedInstallmentsLast24: 3 })).toMatchObject({
      grade: 'B',
      score: 70,
    });
    // Overdue now: nothing for repayment, whatever came before.
    expect(points({ ...borrower, overdueNow: 1 })).toMatchObject({ OVERDUE_NOW: 0 });
    expect(points({ ...borrower, overdueNow: 1 }).REPAYMENT_CLEAN).toBeUndefined();
  });

  it('missed periodic periods take 10 points each from regularity, never below zero', () => {
    const periodic = { ...newcomer, coveredLast12: 10, coveredTotal: 30, missedPeriodsLast12: 2 };
    expect(creditGradeOf(periodic)).toMatchObject({ grade: 'B', score: 30 - 20 + 24 + 20 });
    expect(points(periodic).MISSED_PERIODS).toBe(-20);
    const gaps = { ...newcomer, coveredLast12: 3, coveredTotal: 8, missedPeriodsLast12: 4 };
    expect(points(gaps)).toMatchObject({ REGULARITY: 10, MISSED_PERIODS: -10 });
  });

  it('a defaulter or fraud on record is D whatever the score, the mark given first', () => {
    const model = { ...newcomer, coveredLast12: 12, coveredTotal: 60, hasLoan: true };
    const defaulter = creditGradeOf({ ...model, defaulter: true });
    expect(defaulter).toMatchObject({ grade: 'D', score: 100 });
    expect(defaulter.reasons[0]).toMatchObject({ code: 'DEFAULTER', zh: '已列入失信名单' });
    expect(creditGradeOf({ ...model, fraudFound: true }).reasons[0]).toMatchObject({ code: 'FRAUD' });
  });

  it('gives every reason in Chinese and English', () => {
    for (const r of creditGradeOf({ ...newcomer, coveredLast12: 7, coveredTotal: 9, missedPeriodsLast12: 1 })
      .reasons) {
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[a-z]/);
    }
  });
});
