// The steps of the business-day close, in order (issue order: periodic debits and retries, missed
// periods, month-end accrual and pool indicators, June 30 settlement). Later capabilities add their steps
// here. Every step is idempotent: the close records each finished step, and a rerun of a half-done one
// posts nothing twice.
import type { CloseStep } from '../close-day.ts';
import { scheduleDepositPeriods } from './schedule-deposit-periods.ts';
import { sendPeriodicDebits } from './send-periodic-debits.ts';
import { markMissedPeriods } from './mark-missed-periods.ts';
import { expirePaymentOrders } from '../../services/deposits/create-payment-order.ts';
import { applyRateChange } from '../../services/interest/apply-rate-change.ts';
import { accrueMonthEndInterest } from '../../services/interest/accrue-month-end-interest.ts';
import { settleAnnualInterest } from '../../services/interest/settle-annual-interest.ts';
import { isMonthEnd, isSettlementDay } from '../../services/interest/interest-accumulator.ts';
import { payRentOrdersStep } from './pay-rent-orders.ts';
import { dispatchPayoutsStep } from './dispatch-payouts.ts';
import { retryTransferMessages } from './retry-transfer-messages.ts';
import { loanRepaymentsStep } from './loan-repayments.ts';
import { LOAN_REPAYMENT_STEP } from '../../services/loans/repayment-store.ts';
import { repriceLoansStep } from './reprice-loans.ts';
import { computePoolIndicators } from '../../services/liquidity/compute-pool-indicators.ts';
import { monthOf } from '../../domain/dates.ts';

export { isMonthEnd };

export const CLOSE_STEPS: readonly CloseStep[] = [
  { name: 'schedule-periods', run: scheduleDepositPeriods },
  { name: 'periodic-debits', run: sendPeriodicDebits },
  { name: 'missed-periods', run: markMissedPeriods },
  { name: 'expire-payment-orders', run: expirePaymentOrders },
  { name: 'rent-orders', run: payRentOrdersStep },
  { name: 'payout-dispatch', run: dispatchPayoutsStep },
  { name: LOAN_REPAYMENT_STEP, run: loanRepaymentsStep },
  { name: 'transfer-messages', run: retryTransferMessages },
  { name: 'interest-rate-change', run: async (ctx) => ({ ...(await applyRateChange(ctx)) }) },
  {
    name: 'month-end-accrual',
    appliesOn: isMonthEnd,
    run: async (ctx) => ({ ...(await accrueMonthEndInterest(ctx)) }),
  },
  {
    name: 'pool-indicators',
    appliesOn: isMonthEnd,
    run: async (ctx) => {
      const pools = await computePoolIndicators({ db: ctx.db, month: monthOf(ctx.date), actor: ctx.actor });
      return Object.fromEntries(pools.map((p) => [p.book, `${p.alertLevel} (${p.loanRatioPct ?? '—'} %)`]));
    },
  },
  {
    name: 'annual-settlement',
    appliesOn: isSettlementDay,
    run: async (ctx) => ({ ...(await settleAnnualInterest(ctx)) }),
  },
  repriceLoansStep,
];
