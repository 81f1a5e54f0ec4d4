// The review queue: withdrawals waiting for a reviewer, oldest first, with why each waits.
import type { DbOrTx } from '../../db/connection.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';

export async function listReviewQueue(db: DbOrTx, actor: Actor, options: { limit?: number } = {}) {
  let q = db
    .selectFrom('withdrawals as w')
    .innerJoin('accounts as a', 'a.id', 'w.account_id')
    .innerJoin('depositors as d', 'd.id', 'w.depositor_id')
    .select([
      'w.id',
      'w.kind',
      'w.channel',
      'w.amount_fen',
      'w.review_reasons',
      'w.maker',
      'w.business_date',
      'w.contract_no',
      'w.public_rental',
      'a.account_number',
      'd.name',
    ])
    .where('w.status', '=', 'pending_review')
    .orderBy('w.id')
    .limit(Math.min(options.limit ?? 200, 1000));
  const scope = districtScopeOf(actor);
  if (scope !== null) q = q.where('a.district_code', '=', scope);
  const rows = await q.execute();
  return rows.map((r) => ({
    withdrawalId: String(r.id),
    kind: r.kind,
    channel: r.channel,
    amount: fenToYuanString(r.amount_fen),
    reasons: r.review_reasons as Array<{ code: string; message_zh: string; message_en: string }>,
    maker: r.maker,
    businessDate: r.business_date,
    contractNo: r.contract_no,
    publicRental: r.public_rental,
    accountNumber: r.account_number,
    name: r.name,
  }));
}
