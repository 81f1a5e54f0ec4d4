// The pools' month-end liquidity figures and alert levels (rules.md §8) for finance, risk and managers:
// newest month first, each with the ratios, the level the figures called for and the level in force.
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { Book } from '../../domain/journal.ts';

export async function listPoolIndicators(db: DbOrTx, options: { book?: Book; months?: number } = {}) {
  const months = options.months ?? 24;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new AppError('VALIDATION_FAILED', { field: 'months' });
  let q = db.selectFrom('pool_indicators').selectAll().orderBy('month', 'desc').orderBy('book');
  if (options.book) q = q.where('book', '=', options.book);
  const rows = await q.limit(months * (options.book ? 1 : 2)).execute();
  const yuan = (fen: bigint) => fenToYuanString(fen);
  return rows.map((r) => ({
    book: r.book,
    month: r.month.slice(0, 7),
    alertLevel: r.alert_level,
    previousLevel: r.previous_level,
    indicatedLevel: r.indicated_level,
    change: r.change,
    loanRatioPct: r.loan_ratio_pct,
    usageRatioPct: r.usage_ratio_pct,
    paymentRatePct: r.payment_rate_pct,
    capacity: yuan(r.capacity_fen),
    netFlow: yuan(r.net_flow_fen),
    loanBalance: yuan(r.loan_balance_fen),
    depositBalance: yuan(r.deposit_balance_fen),
    bankBalance: yuan(r.bank_balance_fen),
    pendingLoans: yuan(r.pending_loans_fen),
    periodsDue: r.periods_due,
    periodsPaid: r.periods_paid,
    computedOn: r.computed_on,
  }));
}
