// What the transfer services share: this center's identity on the platform, queuing an outbound message
// (the outbox row, signed, sent after commit), the shape of a command on a transfer, and the
// transfer as the API shows it. The row types of migrations/0015_transfers.sql are in src/db/schema.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/connection.ts';
import type { TransferStage } from '../../db/schema.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { TRANSFER_BUSINESS_TYPE } from '../../domain/transfer-codes.ts';
import { transferInCancellable, transferInFundsReturnable } from '../../domain/transfer-stages.ts';
import { serializeTransferMessage, type TransferMessage } from '../../domain/transfer-messages.ts';
import type { TransferPlatformGateway } from '../../integrations/transfer-platform/gateway.ts';
import { signTransferMessage, transferSecretFromEnv } from '../../integrations/transfer-platform/signing.ts';
import { onceByKey } from '../idempotency.ts';
import { dispatchTransferMessages } from './dispatch-transfer-messages.ts';

export type { TransferStage } from '../../db/schema.ts';

/** This center as the platform knows it, and the bank account transfers in are paid to. */
export interface CenterIdentity {
  code: string;
  name: string;
  receivingBank: { bankName: string; accountNumber: string; accountName: string };
  /** The secret shared with the platform (ANJU_TRANSFER_SECRET, or the development secret). */
  secret: string;
}

export function centerIdentityFromEnv(env: NodeJS.ProcessEnv = process.env): CenterIdentity {
  const name = env.ANJU_CENTER_NAME || '包头市住房公积金管理中心';
  return {
    code: env.ANJU_CENTER_CODE || '150200',
    name,
    receivingBank: {
      bankName: env.ANJU_RECEIVING_BANK_NAME || '中国建设银行包头分行',
      accountNumber: env.ANJU_RECEIVING_BANK_ACCOUNT || '15050170000000000001',
      accountName: name,
    },
    secret: transferSecretFromEnv(env),
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Row of the transfer being worked on (the columns the services read). */
export type TransferRow = Awaited<ReturnType<typeof lockTransfer>>;

/** The transfer with this number, locked for the rest of the transaction (undefined when unknown). */
export async function lockTransfer(tx: DbOrTx, transferNo: string) {
  return tx
    .selectFrom('transfers')
    .selectAll()
    .where('transfer_no', '=', transferNo)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Queues one message to the peer: signed now, stored as a pending outbox row in the caller's transaction,
 * sent after commit by dispatchTransferMessages (a resend uses the same message id and bytes).
 */
export async function queueOutbound(
  tx: DbOrTx,
  center: CenterIdentity,
  transfer: { id: bigint; transfer_no: string; direction: 'in' | 'out'; peer_center_code: string },
  type: TransferMessage['type'],
  body: TransferMessage['body'],
): Promise<string> {
  const t = tx;
  let seq: number | null = null;
  if (type !== 'funds') {
    const row = await t
      .updateTable('transfers')
      .set((eb) => ({ outbound_next_seq: eb('outbound_next_seq', '+', 1), updated_at: new Date() }))
      .where('id', '=', transfer.id)
      .returning('outbound_next_seq')
      .executeTakeFirstOrThrow();
    seq = row.outbound_next_seq - 1;
  }
  const messageId = `${center.code}M${randomBytes(8).toString('hex').toUpperCase()}`;
  const message = {
    messageId,
    transferNo: transfer.transfer_no,
    businessType:
      transfer.direction === 'in' ? TRANSFER_BUSINESS_TYPE.transferIn : TRANSFER_BUSINESS_TYPE.transferOut,
    type,
    seq,
    fromCenter: center.code,
    toCenter: transfer.peer_center_code,
    body,
  } as TransferMessage;
  const rawBody = serializeTransferMessage(message);
  await t
    .insertInto('transfer_messages')
    .values({
      message_id: messageId,
      direction: 'outbound',
      transfer_no: transfer.transfer_no,
      transfer_id: transfer.id,
      type,
      seq,
      raw_body: rawBody,
      body_sha256: sha256(rawBody),
      signature: signTransferMessage(rawBody, center.secret),
      state: 'pending',
    })
    .execute();
  return messageId;
}

/** What every command on a transfer (by staff, or a depositor for their own) takes. */
export interface TransferCommandInput {
  db: Db;
  actor: Actor;
  platform: TransferPlatformGateway;
  idempotencyKey: string;
  /** This center (default: from the environment, centerIdentityFromEnv). */
  center?: CenterIdentity;
}

export type TransferCommandResult = TransferView & { replayed: boolean };

/**
 * A command on a transfer (start, cancel, pay back): `work` runs once per idempotency key, in one
 * transaction with everything it writes and queues, and returns the transfer's id. The queued messages
 * are sent after commit; a replay (asking again after a time-out) pushes any still queued, with the
 * same message ids. Answers the transfer as it then stands.
 */
export async function transferCommand(
  input: TransferCommandInput,
  scope: string,
  payload: Record<string, unknown>,
  work: (tx: DbOrTx) => Promise<bigint>,
): Promise<TransferCommandResult> {
  const { db } = input;
  const { result, replayed } = await db.transaction().execute((tx) =>
    onceByKey(tx, scope, input.idempotencyKey, payload, async () => ({
      transferId: String(await work(tx)),
    })),
  );
  const transferId = BigInt(result.transferId);
  await dispatchTransferMessages({ db, platform: input.platform, transferId });
  return { ...(await viewTransfer(db, transferId))!, replayed };
}

/** A transfer as the API shows it (money as yuan strings, ids as strings). */
export interface TransferView {
  transferId: string;
  transferNo: string;
  direction: 'in' | 'out';
  businessType: string;
  accountId: string | null;
  depositorId: string | null;
  peerCenterCode: string;
  peerCenterName: string;
  peerAccountNumber: string;
  stage: TransferStage;
  platformStatus: string | null;
  refusalReason: string | null;
  principal: string | null;
  interest: string | null;
  funds: string | null;
  monthsCredited: number;
  businessDate: string;
  pendingMessages: number;
  /** A transfer in the person may still cancel (no sheet, no money from the old center yet). */
  cancellable: boolean;
  /** Money of a transfer in that ended uncredited, waiting on 21904 to be paid back to the old center. */
  fundsReturnable: boolean;
  /** The money paid back to the old center: our bank serial and the date (null when not returned). */
  returnSerial: string | null;
  returnedOn: string | null;
}

export async function viewTransfer(db: DbOrTx, transferId: bigint): Promise<TransferView | undefined> {
  const r = await db
    .selectFrom('transfers as t')
    .selectAll('t')
    .select((eb) =>
      eb
        .selectFrom('transfer_messages as m')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('m.transfer_id', '=', 't.id')
        .where('m.state', '=', 'pending')
        .as('pending'),
    )
    .where('t.id', '=', transferId)
    .executeTakeFirst();
  return r ? toView(r) : undefined;
}

export function toView(
  r: Omit<TransferRow & object, 'contact_letter' | 'account_sheet'> & { pending: string | number | null },
): TransferView {
  const yuan = (fen: bigint | null) => (fen === null ? null : fenToYuanString(fen));
  return {
    transferId: String(r.id),
    transferNo: r.transfer_no,
    direction: r.direction,
    businessType: r.business_type,
    accountId: r.account_id === null ? null : String(r.account_id),
    depositorId: r.depositor_id === null ? null : String(r.depositor_id),
    peerCenterCode: r.peer_center_code,
    peerCenterName: r.peer_center_name,
    peerAccountNumber: r.peer_account_number,
    stage: r.stage,
    platformStatus: r.platform_status,
    refusalReason: r.refusal_reason,
    principal: yuan(r.principal_fen),
    interest: yuan(r.interest_fen),
    funds: yuan(r.funds_fen),
    monthsCredited: r.months_credited,
    businessDate: r.business_date,
    pendingMessages: Number(r.pending ?? 0),
    // The sheet's arrival sets its principal (apply-transfer-in-message.ts).
    cancellable: transferInCancellable({
      direction: r.direction,
      stage: r.stage,
      sheetReceived: r.principal_fen !== null,
      fundsReceived: r.funds_serial !== null,
    }),
    fundsReturnable: transferInFundsReturnable({
      direction: r.direction,
      stage: r.stage,
      fundsWaiting: r.funds_entry_id !== null,
      returned: r.return_serial !== null,
    }),
    returnSerial: r.return_serial,
    returnedOn: r.returned_on,
  };
}
