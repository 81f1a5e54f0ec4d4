// The steps of the business-day close, in order. Later capabilities add their steps here.
import { daysInMonth, parts } from '../../domain/dates.ts';
import type { CloseStep } from '../close-day.ts';
import { scheduleDepositPeriods } from './schedule-deposit-periods.ts';
import { sendPeriodicDebits } from './send-periodic-debits.ts';
import { markMissedPeriods } from './mark-missed-periods.ts';

export function isMonthEnd(date: string): boolean {
  const { year, month, day } = parts(date);
  return day === daysInMonth(year, month);
}

export const CLOSE_STEPS: readonly CloseStep[] = [
  { name: 'schedule-periods', run: scheduleDepositPeriods },
  { name: 'periodic-debits', run: sendPeriodicDebits },
  { name: 'missed-periods', run: markMissedPeriods },
];
