// Statutory retirement age after the 2025 reform (rules.md §10): the age, month and date a person reaches
// it, by retirement group. Used by eligibility (§1: no new accounts, no new deposits) and loan terms (§6.1).
import { AppError } from './errors.ts';
import {
  addMonths,
  addMonthsToMonth,
  isIsoDate,
  isIsoMonth,
  monthOf,
  monthsBetween,
  type IsoDate,
  type IsoMonth,
} from './dates.ts';
import type { Gender } from './identity.ts';

export const RETIREMENT_GROUPS = ['male', 'female55', 'female50'] as const;
export type RetirementGroup = (typeof RETIREMENT_GROUPS)[number];

export const RETIREMENT_GROUP_LABELS: Record<RetirementGroup, { zh: string; en: string }> = {
  male: { zh: '男职工', en: 'Men' },
  female55: {
    zh: '女职工（原55周岁，管理和专业技术岗位）',
    en: 'Women, 55 group (managerial and professional posts)',
  },
  female50: { zh: '女职工（原50周岁）', en: 'Women, 50 group' },
};

interface GroupRule {
  /** The first birth month whose retirement is delayed. */
  startCohort: IsoMonth;
  originalYears: number;
  /** Birth months per one-month step of delay. */
  monthsPerStep: number;
  capMonths: number;
}

/**
 * The reform's table (rules.md §10). Unlike the center's parameters this is national statute (the 2024
 * NPC Standing Committee decision), fixed by birth cohort rather than by business date.
 */
export const RETIREMENT_RULES: Record<RetirementGroup, GroupRule> = {
  male: { startCohort: '1965-01', originalYears: 60, monthsPerStep: 4, capMonths: 36 },
  female55: { startCohort: '1970-01', originalYears: 55, monthsPerStep: 4, capMonths: 36 },
  female50: { startCohort: '1975-01', originalYears: 50, monthsPerStep: 2, capMonths: 60 },
};

export interface RetirementAge {
  years: number;
  months: number;
}

export function isRetirementGroup(value: string): value is RetirementGroup {
  return (RETIREMENT_GROUPS as readonly string[]).includes(value);
}

/** The group used when the person declares none: the group cannot be read from the ID number (§10). */
export function defaultRetirementGroup(gender: Gender): RetirementGroup {
  return gender === 'male' ? 'male' : 'female50';
}

function ruleOf(group: string): GroupRule {
  if (!isRetirementGroup(group)) {
    throw new AppError('RETIREMENT_GROUP_INVALID', { field: 'retirementGroup', details: { value: group } });
  }
  return RETIREMENT_RULES[group];
}

function delayMonths(birthMonth: IsoMonth, rule: GroupRule): number {
  // m = months from the start cohort; delay = 0 if m < 0, else min(cap, floor(m / step) + 1) (§10).
  const m = monthsBetween(rule.startCohort, birthMonth);
  if (m < 0) return 0;
  return Math.min(rule.capMonths, Math.floor(m / rule.monthsPerStep) + 1);
}

function ageInMonths(birthMonth: IsoMonth, group: RetirementGroup): number {
  if (!isIsoMonth(birthMonth)) {
    throw new AppError('INVALID_MONTH', { field: 'birthMonth', details: { value: birthMonth } });
  }
  const rule = ruleOf(group);
  return rule.originalYears * 12 + delayMonths(birthMonth, rule);
}

/** The statutory retirement age for a birth month ('YYYY-MM'): a man born 1965-01 retires at 60 y 1 m. */
export function retirementAge(birthMonth: IsoMonth, group: RetirementGroup): RetirementAge {
  const total = ageInMonths(birthMonth, group);
  return { years: Math.floor(total / 12), months: total % 12 };
}

/** The month the retirement age is reached: birth month + age (a man born 1965-01 → 2025-02). */
export function retirementMonth(birthMonth: IsoMonth, group: RetirementGroup): IsoMonth {
  return addMonthsToMonth(birthMonth, ageInMonths(birthMonth, group));
}

function checkDate(date: IsoDate, field: string): void {
  if (!isIsoDate(date)) throw new AppError('INVALID_DATE', { field, details: { value: date } });
}

/**
 * The day the retirement age is reached: birth date + age, the day clamped to the month's length
 * (born on the 31st, reaching the age in a 30-day month → the 30th).
 */
export function retirementDate(birthDate: IsoDate, group: RetirementGroup): IsoDate {
  checkDate(birthDate, 'birthDate');
  return addMonths(birthDate, ageInMonths(monthOf(birthDate), group));
}

/** True from the retirement date on: someone reaching the age on `onDate` is retired that day. */
export function isRetired(birthDate: IsoDate, group: RetirementGroup, onDate: IsoDate): boolean {
  checkDate(onDate, 'onDate');
  return onDate >= retirementDate(birthDate, group);
}
