// Portal payment orders (网上缴存): the depositor (or staff for them) asks to pay an amount; it is checked
// against the same rules creditDeposit applies (rules.md §3.2) before any money moves, stored as an open
// order that expires, and sent to the bank's payment page. The bank's notification credits it.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { checkPayment } from '../../domain/deposits.ts';
import { hpfYearOf, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { isRetired } from '../../domain/retirement.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { depositLimitsOn } from '../agreements/prepare-agreement.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import { getIntegerParameter } from '../parameters/get-parameter.ts';

export interface CreatePaymentOrderInput {
  db: Db;
  actor: Actor;
  bank: BankGateway;
  accountId: string | bigint;
  /** Yuan with at most two decimals. */
  amount: string;
  /** For a periodic plan: the period to pay (default: the oldest due one). */
  periodId?: string | bigint | null;
  /** The client's key: a retry with the same key and payload returns the same order. */
  idempotencyKey: string;
  /** The wall clock (orders expire after `payment_order.valid_minutes`). */
  now?: Date;
}

export interface PaymentOrderView {
  orderId: string;
  orderNo: string;
  accountId: string;
  amount: string;
  periodId: string | null;
  /** Stored status; an open order past its expiry is shown as expired. */
  status: 'open' | 'paid' | 'cancelled' | 'expired';
  createdOn: string;
  expiresAt: string;
  depositId: string | null;
}

export interface CreatedPaymentOrder extends PaymentOrderView {
  payUrl: string;
  replayed: boolean;
}

/** The account and person a depositor may pay into: their own open flexible account. */
async function payableAccount(tx: DbOrTx, actor: Actor, accountId: bigint) {
  const account = await tx
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select(['a.id', 'a.depositor_id', 'a.state', 'a.kind', 'd.birth_date', 'd.retirement_group'])
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  if (actor.type === 'depositor' && actor.depositorId !== account.depositor_id)
    throw new AppError('FORBIDDEN');
  return account;
}

/**
 * Checks the order as creditDeposit would check the payment on the business date (state, retirement,
 * period amount, lower limit, annual room), then stores it and asks the bank for the payment page.
 * A refused order writes nothing.
 */
export async function createPaymentOrder(input: CreatePaymentOrderInput): Promise<CreatedPaymentOrder> {
  const { db, actor } = input;
  const amountFen = positiveYuanToFen(input.amount, 'amount');
  if (!input.idempotencyKey?.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const accountId = BigInt(input.accountId);
  const now = input.now ?? new Date();
  const payload = {
    accountId: String(accountId),
    amount: input.amount,
    periodId: input.periodId ? String(input.periodId) : null,
  };

  const { result, replayed } = await db.transaction().execute(async (tx) => {
    const account = await payableAccount(tx, actor, accountId);
    return onceByKey(tx, `payment-order:${actorLabel(actor)}`, input.idempotencyKey, payload, async () => {
      const today = await getBusinessDate(tx);
      if (account.kind !== 'flexible')
        throw new AppError('ACCOUNT_STATE_INVALID', { field: 'accountId', details: { kind: account.kind } });
      if (account.state !== '01') {
        throw new AppError('DEPOSIT_ACCOUNT_NOT_OPEN', {
          field: 'accountId',
          details: { state: account.state },
        });
      }
      if (isRetired(account.birth_date, account.retirement_group, today))
        throw new AppError('DEPOSITOR_RETIRED', { field: 'accountId' });
      const agreement = await tx
        .selectFrom('agreements')
        .select(['deposit_mode'])
        .where('account_id', '=', accountId)
        .where('status', '=', 'signed')
        .executeTakeFirst();
      if (!agreement) throw new AppError('AGREEMENT_NOT_SIGNED', { field: 'accountId' });

      let period: { id: bigint; amount_fen: bigint } | undefined;
      if (agreement.deposit_mode !== 'flexible') {
        let q = tx
          .selectFrom('deposit_periods')
          .select(['id', 'amount_fen', 'status', 'catch_up_allowed'])
          .where('account_id', '=', accountId)
          .forUpdate();
        q = input.periodId
          ? q.where('id', '=', BigInt(input.periodId))
          : q
              .where((eb) =>
                eb.or([
                  eb('status', '=', 'due'),
                  eb.and([eb('status', '=', 'missed'), eb('catch_up_allowed', '=', true)]),
                ]),
              )
              .orderBy('period_start')
              .limit(1);
        const found = await q.executeTakeFirst();
        if (!found || found.status === 'cancelled')
          throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
        if (found.status === 'paid') throw new AppError('DEPOSIT_PERIOD_ALREADY_PAID', { field: 'periodId' });
        // rules.md §3.2: a missed period is paid only when the center enabled catch-up for it.
        if (found.status === 'missed' && !found.catch_up_allowed)
          throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
        period = found;
        const open = await tx
          .selectFrom('payment_orders')
          .select('order_no')
          .where('deposit_period_id', '=', found.id)
          .where('status', '=', 'open')
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (open)
          throw new AppError('PAYMENT_ORDER_OPEN_FOR_PERIOD', {
            field: 'periodId',
            details: { orderNo: open.order_no },
          });
      }

      // The same inputs creditDeposit gives checkPayment, evaluated on the business date (the expected value date).
      const limits = await depositLimitsOn(tx, today);
      const paid = await tx
        .selectFrom('deposits')
        .select(sql<string>`coalesce(sum(amount_fen), 0)::text`.as('total'))
        .where('account_id', '=', accountId)
        .where('hpf_year', '=', hpfYearOf(today))
        .executeTakeFirstOrThrow();
      checkPayment({
        mode: agreement.deposit_mode,
        amountFen,
        limits,
        paidThisHpfYearFen: BigInt(paid.total),
        ...(period ? { expectedPeriodAmountFen: period.amount_fen } : {}),
      });

      const validMinutes = await getIntegerParameter(tx, 'payment_order.valid_minutes', today);
      const orderNo = `PO${today.replace(/-/g, '')}${randomBytes(6).toString('hex').toUpperCase()}`;
      const expiresAt = new Date(now.getTime() + validMinutes * 60_000);
      const label = actorLabel(actor);
      const row = await tx
        .insertInto('payment_orders')
        .values({
          order_no: orderNo,
          account_id: accountId,
          amount_fen: amountFen,
          deposit_period_id: period?.id ?? null,
          status: 'open',
          created_on: today,
          expires_at: expiresAt,
          created_by: label,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor: label,
        action: 'payment_order.create',
        subjectType: 'account',
        subjectId: accountId,
        businessDate: today,
        summary: { orderNo, amount: fenToYuanString(amountFen), periodId: period ? String(period.id) : null },
      });
      const view: PaymentOrderView = {
        orderId: String(row.id),
        orderNo,
        accountId: String(accountId),
        amount: fenToYuanString(amountFen),
        periodId: period ? String(period.id) : null,
        status: 'open',
        createdOn: today,
        expiresAt: expiresAt.toISOString(),
        depositId: null,
      };
      return { ...view };
    });
  });
  // After commit: the bank's page (idempotent by order number), so a retry with the same key gets it again.
  const order = result as unknown as PaymentOrderView;
  const { payUrl } = await input.bank.createPaymentPage({ orderNo: order.orderNo, amountFen });
  return { ...(await getPaymentOrder(db, actor, order.orderId, now)), payUrl, replayed };
}

/** One order, for its depositor or staff; an open order past its expiry reads as expired. */
export async function getPaymentOrder(
  db: DbOrTx,
  actor: Actor,
  orderId: string | bigint,
  now: Date = new Date(),
): Promise<PaymentOrderView> {
  const row = await db
    .selectFrom('payment_orders as o')
    .innerJoin('accounts as a', 'a.id', 'o.account_id')
    .select([
      'o.id',
      'o.order_no',
      'o.account_id',
      'o.amount_fen',
      'o.deposit_period_id',
      'o.status',
      'o.created_on',
      'o.expires_at',
      'o.deposit_id',
      'a.depositor_id',
    ])
    .where('o.id', '=', BigInt(orderId))
    .executeTakeFirst();
  if (!row) throw new AppError('PAYMENT_ORDER_NOT_FOUND', { field: 'id' });
  if (actor.type === 'depositor' && actor.depositorId !== row.depositor_id)
    throw new AppError('PAYMENT_ORDER_NOT_FOUND', { field: 'id' });
  const expired = row.status === 'open' && row.expires_at.getTime() <= now.getTime();
  return {
    orderId: String(row.id),
    orderNo: row.order_no,
    accountId: String(row.account_id),
    amount: fenToYuanString(row.amount_fen),
    periodId: row.deposit_period_id === null ? null : String(row.deposit_period_id),
    status: expired ? 'expired' : row.status,
    createdOn: row.created_on,
    expiresAt: row.expires_at.toISOString(),
    depositId: row.deposit_id === null ? null : String(row.deposit_id),
  };
}

/** The open order with this number (the simulated bank page shows it); null when none is open. */
export async function findOrderByNumber(db: DbOrTx, orderNo: string) {
  return (
    (await db
      .selectFrom('payment_orders')
      .select(['id', 'order_no', 'amount_fen', 'status', 'expires_at'])
      .where('order_no', '=', orderNo)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Close step (proposed name "expire-payment-orders"): marks open orders whose validity ended by the end
 * of the day being closed as expired. Idempotent. A payment that still arrives for one is credited.
 */
export async function expirePaymentOrders(ctx: {
  db: Db;
  date: IsoDate;
  actor: Actor;
}): Promise<Record<string, unknown>> {
  const result = await ctx.db
    .updateTable('payment_orders')
    .set({ status: 'expired' })
    .where('status', '=', 'open')
    .where('created_on', '<=', ctx.date)
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return { expired: Number(result.numUpdatedRows) };
}
