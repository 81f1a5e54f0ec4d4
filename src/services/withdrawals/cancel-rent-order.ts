// Stops a standing monthly rent order (按月提取, rules.md §5.1): the depositor for their own account, or a
// teller for them. From the business date on the close pays nothing more (pay-rent-orders.ts reads only
// active orders); months already paid stay paid. The order row is kept, ended with reason 'cancelled', and
// the audit row says who stopped it and why.
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';

export const RENT_ORDER_CANCELLED = 'cancelled';

export async function cancelRentOrder(input: {
  db: Db;
  actor: Actor;
  rentOrderId: string | bigint;
  reason: string;
}): Promise<{
  rentOrderId: string;
  accountId: string;
  status: 'ended';
  endedOn: string;
  endedReason: string;
}> {
  const { db, actor } = input;
  const reason = input.reason.trim();
  if (!reason || reason.length > 200) throw new AppError('VALIDATION_FAILED', { field: 'reason' });
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  const rentOrderId = BigInt(input.rentOrderId);
  return db.transaction().execute(async (tx) => {
    const order = await tx
      .selectFrom('rent_orders')
      .select(['id', 'account_id', 'status', 'monthly_amount_fen', 'next_due_date', 'contract_no'])
      .where('id', '=', rentOrderId)
      .forUpdate()
      .executeTakeFirst();
    if (!order) throw new AppError('RENT_ORDER_NOT_FOUND', { field: 'rentOrderId' });
    await assertAccountVisible(tx, actor, order.account_id);
    if (order.status !== 'active') {
      throw new AppError('RENT_ORDER_NOT_ACTIVE', {
        field: 'rentOrderId',
        details: { status: order.status },
      });
    }
    const businessDate = await getBusinessDate(tx);
    await tx
      .updateTable('rent_orders')
      .set({ status: 'ended', ended_on: businessDate, ended_reason: RENT_ORDER_CANCELLED })
      .where('id', '=', rentOrderId)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'rent_order.cancel',
      subjectType: 'rent_order',
      subjectId: rentOrderId,
      businessDate,
      summary: {
        accountId: String(order.account_id),
        monthlyAmount: fenToYuanString(order.monthly_amount_fen),
        contractNo: order.contract_no,
        unpaidDueDate: order.next_due_date,
        reason,
      },
    });
    return {
      rentOrderId: String(rentOrderId),
      accountId: String(order.account_id),
      status: 'ended' as const,
      endedOn: businessDate,
      endedReason: RENT_ORDER_CANCELLED,
    };
  });
}
