// Bank notifications (银行到账/代扣结果通知): verifies the signature, acts once per bank serial, and turns
// a credit for a portal order or a successful debit into a deposit (creditDeposit). Every notification is
// recorded with its outcome; money nobody can credit is left for reconciliation, never dropped.
import { sql } from 'kysely';
import { AppError, isAppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { parseBankNotification, type ParsedBankNotification } from '../../integrations/bank/gateway.ts';
import {
  InProcessBank,
  type BankNotifier,
  type InProcessBankOptions,
} from '../../integrations/bank/in-process-bank.ts';
import { bankSecretFromEnv, verifyBankSignature } from '../../integrations/bank/signing.ts';
import { prepared, type Db, type DbOrTx } from '../../db/connection.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assignSuspenseInTx } from '../reconciliation/resolve-suspense-item.ts';
import { lockSerialForNotification } from '../reconciliation/serial-lock.ts';
import { creditDeposit } from './credit-deposit.ts';
import { handlePayoutNotification } from '../payouts/handle-payout-notification.ts';
import { handleLoanDebitResult, isLoanDebitRequestNo } from '../loans/handle-loan-debit-result.ts';

/** The bank acting through its notifications, as written in created_by and audit rows. */
export const BANK_ACTOR: Actor = { type: 'system', id: 'bank' };

/**
 * What became of a notification:
 * credited (a deposit was made) · debit_failed (the debit request is marked failed) · unmatched (money
 * arrived that no order or request explains) · refused (an order or request matched, the deposit rules
 * refused it) · ignored (no money moved and nothing to update) · duplicate (a repeat of an earlier serial)
 * · signature_invalid · malformed. Money in `unmatched` and `refused` is found by reconciliation
 * (statement line without deposit → suspense).
 */
export type NotificationOutcome =
  | 'credited'
  | 'loan_repaid'
  | 'debit_failed'
  | 'unmatched'
  | 'refused'
  | 'ignored'
  | 'duplicate'
  | 'signature_invalid'
  | 'malformed';

export interface HandleBankNotificationInput {
  rawBody: string;
  signature: string | null | undefined;
  /** The shared secret (default ANJU_BANK_SECRET, or the development secret). */
  secret?: string;
  /** Which bank connection delivered it (recorded in the audit trail); default "sim". */
  bank?: string;
}

export interface HandledBankNotification {
  notificationId: string;
  serial: string;
  kind: string;
  outcome: NotificationOutcome;
  detail: string | null;
  depositId: string | null;
  /** True when this serial was handled before: the first outcome is returned and nothing is credited. */
  replayed: boolean;
}

interface Decision {
  outcome: NotificationOutcome;
  detail: string | null;
  depositId: bigint | null;
  /** The order or request the deposit settles, marked in the same statement that records the notification. */
  settles?: { table: 'payment_orders' | 'debit_requests'; id: bigint };
}

/** A deposit rule refused a matched notification: the transaction is rolled back, then the refusal recorded. */
class CreditRefused extends Error {
  constructor(
    readonly error: AppError,
    readonly requestId: bigint | null,
  ) {
    super(error.message);
  }
}

function bestEffortJson(rawBody: string): { payload: string; serial: string; kind: string } {
  try {
    const value = JSON.parse(rawBody) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      return {
        payload: rawBody,
        serial: typeof v.serial === 'string' ? v.serial.slice(0, 64) : '',
        kind: typeof v.kind === 'string' ? v.kind.slice(0, 32) : 'unknown',
      };
    }
  } catch {
    // not JSON: kept as text below
  }
  return { payload: JSON.stringify({ raw: rawBody.slice(0, 4000) }), serial: '', kind: 'unknown' };
}

async function recordRejected(
  db: Db,
  rawBody: string,
  signature: string,
  valid: boolean,
  outcome: 'signature_invalid' | 'malformed',
  detail: string | null,
): Promise<void> {
  const { payload, serial, kind } = bestEffortJson(rawBody);
  await db
    .insertInto('bank_notifications')
    .values({
      bank_serial: serial,
      kind,
      payload,
      signature: signature.slice(0, 200),
      signature_valid: valid,
      outcome,
      detail,
    })
    .execute();
}

/**
 * Handles one notification. A bad signature is recorded (signature_valid = false) and refused with
 * BANK_SIGNATURE_INVALID; nothing is credited. A serial seen before returns its first outcome. Safe under
 * concurrency: the serial's advisory lock serialises repeats, and the unique index on deposits.bank_serial
 * (and on the first notification per serial) backs it up.
 */
export async function handleBankNotification(
  db: Db,
  input: HandleBankNotificationInput,
): Promise<HandledBankNotification> {
  const secret = input.secret ?? bankSecretFromEnv();
  const signature = input.signature ?? '';
  if (!verifyBankSignature(input.rawBody, signature, secret)) {
    await recordRejected(db, input.rawBody, signature, false, 'signature_invalid', null);
    throw new AppError('BANK_SIGNATURE_INVALID', { field: 'x-bank-signature' });
  }
  let n: ParsedBankNotification;
  try {
    n = parseBankNotification(input.rawBody);
  } catch (error) {
    await recordRejected(
      db,
      input.rawBody,
      signature,
      true,
      'malformed',
      isAppError(error) ? (error.field ?? null) : null,
    );
    throw error;
  }
  const source = input.bank ?? 'sim';
  try {
    return await db.transaction().execute((tx) => handleInTx(tx, n, input.rawBody, signature, source));
  } catch (error) {
    if (!(error instanceof CreditRefused)) throw error;
    // The money arrived but may not be credited (limits, account state …): record why, for reconciliation.
    return db.transaction().execute(async (tx) => {
      const { first } = await lockAndLookUp(tx, n.serial);
      if (first) return recordDuplicate(tx, n, input.rawBody, signature, first);
      if (error.requestId !== null) {
        // The bank did take the money: no more retries for this request (the money goes through suspense).
        await tx
          .updateTable('debit_requests')
          .set({
            status: 'succeeded',
            bank_serial: n.serial,
            failure_code: `CREDIT_REFUSED:${error.error.code}`,
            answered_at: new Date(),
          })
          .where('id', '=', error.requestId)
          .execute();
      }
      const decision: Decision = { outcome: 'refused', detail: error.error.code, depositId: null };
      const handled = await recordFirst(tx, n, input.rawBody, signature, decision);
      await auditUncredited(tx, n, decision, source);
      return handled;
    });
  }
}

interface FirstRow {
  id: bigint;
  kind: string;
  outcome: string;
  detail: string | null;
  deposit_id: bigint | null;
}

/** The statement line of a serial already imported, and its suspense item if the line went to suspense. */
interface StatementLineRow {
  line_id: bigint;
  item_id: bigint | null;
  item_status: string | null;
}

/** The portal order a credit names, locked (FOR UPDATE), with whether its account was locked too. */
interface OrderRow {
  id: bigint;
  account_id: bigint;
  amount_fen: bigint;
  status: string;
  deposit_period_id: bigint | null;
  /** The order is open or expired and of the notified amount, so its account row was locked as well. */
  accountLocked: boolean;
}

/** For a successful credit naming an order: the order to look up with the serial. */
function creditOrder(n: ParsedBankNotification): { orderNo: string; amountFen: bigint } | null {
  return n.kind === 'credit' && n.status === 'success' && n.orderNo
    ? { orderNo: n.orderNo, amountFen: n.amountFen }
    : null;
}

/**
 * Takes the serial's locks, then reads in one round trip the first notification with this serial (if
 * any: this one is a repeat) and the statement line carrying it (if reconciliation came first), and for
 * a credit that is not a repeat, locks the order it names and, when the order can be credited, the
 * order's account (creditDeposit's lock, taken here so its reads need one statement less).
 */
async function lockAndLookUp(
  tx: DbOrTx,
  serial: string,
  credit: { orderNo: string; amountFen: bigint } | null = null,
): Promise<{ first: FirstRow | null; line: StatementLineRow | null; order: OrderRow | null }> {
  await lockSerialForNotification(tx, serial);
  const orderCtes = credit
    ? sql`, o AS MATERIALIZED (
        SELECT id, account_id, amount_fen, status, deposit_period_id FROM payment_orders
        WHERE order_no = ${credit.orderNo} AND NOT EXISTS (SELECT 1 FROM n)
        FOR UPDATE
      ), acct AS MATERIALIZED (
        SELECT a.id FROM accounts a
        WHERE a.id = (SELECT o.account_id FROM o WHERE o.status IN ('open', 'expired') AND o.amount_fen = ${credit.amountFen})
        FOR UPDATE
      )`
    : sql``;
  const orderColumns = credit
    ? sql`, o.id AS order_id, o.account_id AS order_account_id, o.amount_fen AS order_amount_fen,
        o.status AS order_status, o.deposit_period_id AS order_period_id, (SELECT acct.id FROM acct) AS locked_account_id`
    : sql``;
  const result = await prepared(
    sql<
      Partial<FirstRow> &
        Partial<StatementLineRow> & {
          id: bigint | null;
          line_id: bigint | null;
          order_id?: bigint | null;
          order_account_id?: bigint;
          order_amount_fen?: bigint;
          order_status?: string;
          order_period_id?: bigint | null;
          locked_account_id?: bigint | null;
        }
    >`
    WITH n AS MATERIALIZED (
      SELECT id, kind, outcome, detail, deposit_id FROM bank_notifications
      WHERE bank_serial = ${serial} AND signature_valid AND duplicate_of IS NULL AND outcome <> 'malformed'
    )${orderCtes}
    SELECT n.id, n.kind, n.outcome, n.detail, n.deposit_id, l.id AS line_id, s.id AS item_id, s.status AS item_status${orderColumns}
    FROM (SELECT 1) AS one
    LEFT JOIN n ON true
    LEFT JOIN bank_statement_lines l ON l.bank_serial = ${serial} AND l.direction = 'in'
    LEFT JOIN suspense_items s ON s.statement_line_id = l.id${credit ? sql` LEFT JOIN o ON true` : sql``}`,
  ).execute(tx);
  const r = result.rows[0]!;
  return {
    order:
      r.order_id === null || r.order_id === undefined
        ? null
        : {
            id: r.order_id,
            account_id: r.order_account_id!,
            amount_fen: r.order_amount_fen!,
            status: r.order_status!,
            deposit_period_id: r.order_period_id ?? null,
            accountLocked: r.locked_account_id === r.order_account_id,
          },
    first:
      r.id === null
        ? null
        : {
            id: r.id,
            kind: r.kind!,
            outcome: r.outcome!,
            detail: r.detail ?? null,
            deposit_id: r.deposit_id ?? null,
          },
    line:
      r.line_id === null
        ? null
        : { line_id: r.line_id, item_id: r.item_id ?? null, item_status: r.item_status ?? null },
  };
}

async function recordDuplicate(
  tx: DbOrTx,
  n: ParsedBankNotification,
  rawBody: string,
  signature: string,
  first: FirstRow,
): Promise<HandledBankNotification> {
  await tx
    .insertInto('bank_notifications')
    .values({
      bank_serial: n.serial,
      kind: n.kind,
      payload: rawBody,
      signature,
      signature_valid: true,
      outcome: 'duplicate',
      detail: null,
      duplicate_of: first.id,
    })
    .execute();
  return {
    notificationId: String(first.id),
    serial: n.serial,
    kind: first.kind,
    outcome: first.outcome as NotificationOutcome,
    detail: first.detail,
    depositId: first.deposit_id === null ? null : String(first.deposit_id),
    replayed: true,
  };
}

async function recordFirst(
  tx: DbOrTx,
  n: ParsedBankNotification,
  rawBody: string,
  signature: string,
  d: Decision,
): Promise<HandledBankNotification> {
  // After a credit the shared ledger rows are locked until COMMIT: the order (or request) and the
  // notification row are written in one round trip to keep that window short (bench/RESULTS.md).
  const settle =
    d.settles?.table === 'payment_orders'
      ? sql`UPDATE payment_orders SET status = 'paid', deposit_id = ${d.depositId} WHERE id = ${d.settles.id}`
      : d.settles?.table === 'debit_requests'
        ? sql`UPDATE debit_requests SET status = 'succeeded', bank_serial = ${n.serial}, failure_code = NULL, answered_at = now()
            WHERE id = ${d.settles.id}`
        : sql`SELECT 1`;
  const result = await prepared(sql<{ id: bigint }>`
    WITH settled AS (${settle})
    INSERT INTO bank_notifications (bank_serial, kind, payload, signature, signature_valid, outcome, detail, deposit_id)
    VALUES (${n.serial}, ${n.kind}, ${rawBody}::jsonb, ${signature}, true, ${d.outcome}, ${d.detail}, ${d.depositId})
    RETURNING id`).execute(tx);
  const row = result.rows[0]!;
  return {
    notificationId: String(row.id),
    serial: n.serial,
    kind: n.kind,
    outcome: d.outcome,
    detail: d.detail,
    depositId: d.depositId === null ? null : String(d.depositId),
    replayed: false,
  };
}

/** Money that arrived and was not credited, and failed debits, leave an audit row (credits audit themselves). */
async function auditUncredited(
  tx: DbOrTx,
  n: ParsedBankNotification,
  d: Decision,
  source: string,
): Promise<void> {
  await recordAudit(tx, {
    actor: actorLabel(BANK_ACTOR),
    action: `bank.notification.${d.outcome}`,
    subjectType: 'bank_serial',
    subjectId: n.serial,
    businessDate: await getBusinessDate(tx),
    summary: {
      bank: source,
      kind: n.kind,
      status: n.status,
      amount: fenToYuanString(n.amountFen),
      valueDate: n.valueDate,
      orderNo: n.orderNo ?? null,
      requestNo: n.requestNo ?? null,
      detail: d.detail,
    },
  });
}

/** Calls creditDeposit; a rule refusal becomes CreditRefused so the caller records it after rollback. */
async function creditOrRefuse<T>(work: () => Promise<T>, requestId: bigint | null): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error) && error.kind !== 'internal') throw new CreditRefused(error, requestId);
    throw error;
  }
}

async function handleInTx(
  tx: DbOrTx,
  n: ParsedBankNotification,
  rawBody: string,
  signature: string,
  source: string,
): Promise<HandledBankNotification> {
  const { first, line, order } = await lockAndLookUp(tx, n.serial, creditOrder(n));
  if (first) return recordDuplicate(tx, n, rawBody, signature, first);
  const decision: Decision =
    n.kind === 'credit'
      ? await handleCredit(tx, n, line, order)
      : n.kind === 'debit_result' && isLoanDebitRequestNo(n.requestNo)
        ? { ...(await handleLoanDebitResult(tx, n, line !== null)), depositId: null }
        : n.kind === 'debit_result'
          ? await handleDebitResult(tx, n, line)
          : {
              outcome: n.status === 'success' ? 'unmatched' : 'ignored',
              detail: 'KIND_UNKNOWN',
              depositId: null,
            };
  const handled = await recordFirst(tx, n, rawBody, signature, decision);
  // Credits and loan repayments audit themselves.
  if (decision.outcome !== 'credited' && decision.outcome !== 'loan_repaid') {
    await auditUncredited(tx, n, decision, source);
  }
  return handled;
}

async function creditFromBankOrSuspense(
  tx: DbOrTx,
  n: ParsedBankNotification,
  target: {
    accountId: bigint;
    channel: 'portal' | 'debit';
    periodId: bigint | null;
    paymentOrderId: bigint | null;
    /** The caller locked the account row in an earlier statement (lockAndLookUp). */
    accountLocked?: boolean;
  },
  requestId: bigint | null,
  inStatement: StatementLineRow | null,
): Promise<bigint | Decision> {
  // When a statement import already booked this money (the notification came after the statement), it
  // is in suspense: the deposit is made from 21902, not from 101 again.
  if (inStatement) {
    if (inStatement.item_id === null || inStatement.item_status !== 'open') {
      // Reconciled already (matched to a deposit, or the suspense item was assigned or refunded by staff).
      return { outcome: 'unmatched', detail: 'ALREADY_RECONCILED', depositId: null };
    }
    const { deposit } = await creditOrRefuse(
      () =>
        assignSuspenseInTx(tx, {
          itemId: inStatement.item_id!,
          accountId: target.accountId,
          actor: BANK_ACTOR,
          channel: target.channel,
          periodId: target.periodId,
          paymentOrderId: target.paymentOrderId,
          note: 'late bank notification',
        }),
      requestId,
    );
    return BigInt(deposit.depositId);
  }
  const deposit = await creditOrRefuse(
    () =>
      creditDeposit(tx, {
        accountId: target.accountId,
        amountFen: n.amountFen,
        valueDate: n.valueDate,
        channel: target.channel,
        actor: BANK_ACTOR,
        bankSerial: n.serial,
        periodId: target.periodId,
        paymentOrderId: target.paymentOrderId,
        accountLocked: target.accountLocked ?? false,
      }),
    requestId,
  );
  return BigInt(deposit.depositId);
}

async function handleCredit(
  tx: DbOrTx,
  n: ParsedBankNotification,
  line: StatementLineRow | null,
  /** The order n.orderNo names, read and locked by lockAndLookUp (null: no such order). */
  order: OrderRow | null,
): Promise<Decision> {
  if (n.status !== 'success')
    return { outcome: 'ignored', detail: n.failureCode ?? 'PAYMENT_FAILED', depositId: null };
  if (!n.orderNo) return { outcome: 'unmatched', detail: 'NO_ORDER', depositId: null };
  if (!order) return { outcome: 'unmatched', detail: 'ORDER_UNKNOWN', depositId: null };
  // An expired order is still credited: the money did arrive (rules.md §3.2: credited the day it arrives).
  if (order.status !== 'open' && order.status !== 'expired') {
    return { outcome: 'unmatched', detail: `ORDER_${order.status.toUpperCase()}`, depositId: null };
  }
  if (order.amount_fen !== n.amountFen)
    return { outcome: 'unmatched', detail: 'AMOUNT_MISMATCH', depositId: null };
  const result = await creditFromBankOrSuspense(
    tx,
    n,
    {
      accountId: order.account_id,
      channel: 'portal',
      periodId: order.deposit_period_id,
      paymentOrderId: order.id,
      accountLocked: order.accountLocked,
    },
    null,
    line,
  );
  if (typeof result !== 'bigint') return result;
  return {
    outcome: 'credited',
    detail: null,
    depositId: result,
    settles: { table: 'payment_orders', id: order.id },
  };
}

async function handleDebitResult(
  tx: DbOrTx,
  n: ParsedBankNotification,
  line: StatementLineRow | null,
): Promise<Decision> {
  const request = await tx
    .selectFrom('debit_requests')
    .select(['id', 'account_id', 'period_id', 'amount_fen', 'status'])
    .where('request_no', '=', n.requestNo!)
    .forUpdate()
    .executeTakeFirst();
  if (n.status !== 'success') {
    if (!request) return { outcome: 'ignored', detail: 'REQUEST_UNKNOWN', depositId: null };
    if (request.status === 'succeeded' || request.status === 'failed') {
      return { outcome: 'ignored', detail: `REQUEST_${request.status.toUpperCase()}`, depositId: null };
    }
    // Pending (the answer has not been recorded yet: out of order) or sent. The retry logic picks it up.
    await tx
      .updateTable('debit_requests')
      .set({
        status: 'failed',
        failure_code: n.failureCode ?? 'DEBIT_FAILED',
        bank_serial: n.serial,
        answered_at: new Date(),
      })
      .where('id', '=', request.id)
      .execute();
    return { outcome: 'debit_failed', detail: n.failureCode ?? 'DEBIT_FAILED', depositId: null };
  }
  if (!request) return { outcome: 'unmatched', detail: 'REQUEST_UNKNOWN', depositId: null };
  if (request.status === 'succeeded')
    return { outcome: 'unmatched', detail: 'REQUEST_SUCCEEDED', depositId: null };
  if (request.amount_fen !== n.amountFen)
    return { outcome: 'unmatched', detail: 'AMOUNT_MISMATCH', depositId: null };
  // Pending, sent, or even failed (a late success after a failure report): the money did arrive.
  const result = await creditFromBankOrSuspense(
    tx,
    n,
    { accountId: request.account_id, channel: 'debit', periodId: request.period_id, paymentOrderId: null },
    request.id,
    line,
  );
  if (typeof result !== 'bigint') return result;
  return {
    outcome: 'credited',
    detail: null,
    depositId: result,
    settles: { table: 'debit_requests', id: request.id },
  };
}

/** Connects a bank (the in-process simulator) straight to this handler, as buildApp does by default. */
export function bankNotifierFor(db: Db, options: { secret?: string; bank?: string } = {}): BankNotifier {
  return (rawBody, signature) => handleBankNotification(db, { rawBody, signature, ...options });
}

/**
 * The simulated bank of the demo, the CLI close and most tests: notifications go straight to this
 * handler and payout results to the payout handler, and payments made on its page are dated with the
 * center's business date.
 */
export function createInProcessBank(options: { db: Db } & InProcessBankOptions): InProcessBank {
  const { db, ...rest } = options;
  const bank = new InProcessBank({
    bankDate: async () =>
      (
        await db
          .selectFrom('business_calendar')
          .select('business_date')
          .where('id', '=', 1)
          .executeTakeFirst()
      )?.business_date ?? null,
    notify: bankNotifierFor(db, rest.secret ? { secret: rest.secret } : {}),
    ...rest,
  });
  bank.setPayoutNotifier((rawBody, signature) =>
    handlePayoutNotification(db, { rawBody, signature, ...(rest.secret ? { secret: rest.secret } : {}) }),
  );
  return bank;
}
