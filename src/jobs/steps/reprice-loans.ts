// Close step: on January 1, loans over one year switch to the loan rate table's latest row and their future
// installments are recomputed (rules.md §6.3; src/services/loans/reprice-loans.ts). Idempotent: a loan on
// the latest row is never picked again.
import type { CloseStep } from '../close-day.ts';
import { isJanuaryFirst, repriceLoans } from '../../services/loans/reprice-loans.ts';

export const repriceLoansStep: CloseStep = {
  name: 'loan-repricing',
  appliesOn: isJanuaryFirst,
  run: async (ctx) => repriceLoans({ db: ctx.db, date: ctx.date, actor: ctx.actor }),
};
