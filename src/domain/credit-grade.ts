// A depositor's credit grade (信用等级, rules.md §9): A / B / C / D from deposit regularity, tenure, the
// repayment record and any fraud or defaulter mark, with the reasons shown to the depositor. It drives the
// credit coefficient of the loan quota (§6.2 A: A 1.1, B 1.0, C 0.9, D not eligible). The points and
// bands are a team decision (docs/decisions/0008-credit-grade.md).
import type { CreditGrade } from './loans/quota.ts';

/** What the grade is computed from, as of one business date. */
export interface CreditFacts {
  /** Covered months among the 12 complete months before the current one (deposit regularity). */
  coveredLast12: number;
  /** Covered months in all, transferred history included (tenure). */
  coveredTotal: number;
  /** Periodic deposit periods marked missed in the last 12 months. */
  missedPeriodsLast12: number;
  /** Whether the depositor has (or had) an HPF loan here: a repayment record exists. */
  hasLoan: boolean;
  /** Installments that went overdue in the last 24 months. */
  missedInstallmentsLast24: number;
  /** Installments overdue now. */
  overdueNow: number;
  /** On the defaulter list (失信名单, §6.5). */
  defaulter: boolean;
  /** Fraud (骗提骗贷) found by a center, e.g. on an account sheet received with a transfer in. */
  fraudFound: boolean;
}

export type CreditReasonCode =
  | 'REGULARITY'
  | 'MISSED_PERIODS'
  | 'TENURE'
  | 'NO_LOAN'
  | 'REPAYMENT_CLEAN'
  | 'REPAYMENT_MISSED'
  | 'OVERDUE_NOW'
  | 'DEFAULTER'
  | 'FRAUD';

export interface CreditReason {
  code: CreditReasonCode;
  /** Points this reason adds (negative: takes away); 0 for the marks, which decide the grade alone. */
  points: number;
  zh: string;
  en: string;
}

export interface CreditGradeResult {
  grade: CreditGrade;
  /** 0–100: regularity (up to 40) + tenure (up to 30) + repayment (up to 30). */
  score: number;
  reasons: CreditReason[];
}

/** Score needed for each grade above C (D comes from a mark, not from the score). */
export const CREDIT_GRADE_THRESHOLDS = { A: 80, B: 50 } as const;

function band(value: number, bands: ReadonlyArray<readonly [number, number]>): number {
  for (const [from, points] of bands) if (value >= from) return points;
  return 0;
}

const REGULARITY_BANDS = [
  [12, 40],
  [9, 30],
  [6, 20],
  [3, 10],
] as const;
const TENURE_BANDS = [
  [36, 30],
  [24, 24],
  [12, 18],
  [6, 10],
] as const;
const MISSED_PERIOD_POINTS = 10;

export function creditGradeOf(facts: CreditFacts): CreditGradeResult {
  const reasons: CreditReason[] = [];

  const regular = band(facts.coveredLast12, REGULARITY_BANDS);
  reasons.push({
    code: 'REGULARITY',
    points: regular,
    zh: `近 12 个月缴存 ${facts.coveredLast12} 个月`,
    en: `Deposited in ${facts.coveredLast12} of the last 12 months`,
  });
  // Missed periodic periods take points from regularity, never below zero.
  const missedTaken = Math.min(regular, facts.missedPeriodsLast12 * MISSED_PERIOD_POINTS);
  if (facts.missedPeriodsLast12 > 0)
    reasons.push({
      code: 'MISSED_PERIODS',
      points: -missedTaken,
      zh: `近 12 个月约定缴存未缴 ${facts.missedPeriodsLast12} 期`,
      en: `${facts.missedPeriodsLast12} agreed deposit period(s) missed in the last 12 months`,
    });

  const tenure = band(facts.coveredTotal, TENURE_BANDS);
  reasons.push({
    code: 'TENURE',
    points: tenure,
    zh: `累计缴存 ${facts.coveredTotal} 个月（含转入的缴存记录）`,
    en: `${facts.coveredTotal} months deposited in all (transferred history included)`,
  });

  let repayment: number;
  if (!facts.hasLoan) {
    repayment = 20;
    reasons.push({
      code: 'NO_LOAN',
      points: repayment,
      zh: '无住房公积金贷款记录',
      en: 'No HPF loan record',
    });
  } else if (facts.overdueNow > 0) {
    repayment = 0;
    reasons.push({
      code: 'OVERDUE_NOW',
      points: 0,
      zh: `贷款当前逾期 ${facts.overdueNow} 期`,
      en: `${facts.overdueNow} loan installment(s) overdue now`,
    });
  } else if (facts.missedInstallmentsLast24 === 0) {
    repayment = 30;
    reasons.push({
      code: 'REPAYMENT_CLEAN',
      points: repayment,
      zh: '近 24 个月贷款按期还款',
      en: 'Loan repaid on time in the last 24 months',
    });
  } else {
    // One missed installment in 24 months keeps half the points, two a sixth, three or more none.
    repayment = facts.missedInstallmentsLast24 === 1 ? 15 : facts.missedInstallmentsLast24 === 2 ? 5 : 0;
    reasons.push({
      code: 'REPAYMENT_MISSED',
      points: repayment,
      zh: `近 24 个月贷款逾期 ${facts.missedInstallmentsLast24} 期`,
      en: `${facts.missedInstallmentsLast24} loan installment(s) overdue in the last 24 months`,
    });
  }

  const score = regular - missedTaken + tenure + repayment;
  const marks: CreditReason[] = [];
  if (facts.defaulter)
    marks.push({ code: 'DEFAULTER', points: 0, zh: '已列入失信名单', en: 'On the defaulter list' });
  if (facts.fraudFound) marks.push({ code: 'FRAUD', points: 0, zh: '有骗提骗贷记录', en: 'Fraud on record' });
  const grade: CreditGrade =
    marks.length > 0
      ? 'D'
      : score >= CREDIT_GRADE_THRESHOLDS.A
        ? 'A'
        : score >= CREDIT_GRADE_THRESHOLDS.B
          ? 'B'
          : 'C';
  return { grade, score, reasons: [...marks, ...reasons] };
}
