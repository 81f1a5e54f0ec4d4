// A message from the transfer platform (报文接收): verifies the signature (a bad one is refused and nothing
// is written), acts once per message id (a repeat returns the first outcome and changes nothing), and keeps
// each transfer's ordered messages in sequence: one that overtook its predecessor is held and applied when
// the predecessor arrives. Funds carry no sequence and are matched whenever they come.
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { parseTransferMessage, type TransferMessage } from '../../domain/transfer-messages.ts';
import { verifyTransferSignature } from '../../integrations/transfer-platform/signing.ts';
import type { AppliedMessage } from './applied-message.ts';
import { answerTransferOutLetter } from './answer-transfer-out-letter.ts';
import { applyTransferInMessage } from './apply-transfer-in-message.ts';
import { confirmTransferOut } from './confirm-transfer-out.ts';
import { centerIdentityFromEnv, lockTransfer, sha256, type CenterIdentity } from './transfer-store.ts';

export interface ReceivePlatformMessageInput {
  rawBody: string;
  signature: string | null | undefined;
  center?: CenterIdentity;
}

export interface ReceivedPlatformMessage {
  messageId: string;
  transferNo: string;
  type: string;
  /** processed · held (waiting for its predecessor) · rejected */
  state: 'processed' | 'held' | 'rejected';
  outcome: string | null;
  detail: string | null;
  transferId: string | null;
  /** True when this message id was received before: the first answer, nothing changed. */
  replayed: boolean;
  /** Held messages applied after this one, in sequence. */
  released: number;
}

export async function receivePlatformMessage(
  db: Db,
  input: ReceivePlatformMessageInput,
): Promise<ReceivedPlatformMessage> {
  const center = input.center ?? centerIdentityFromEnv();
  if (!verifyTransferSignature(input.rawBody, input.signature, center.secret)) {
    throw new AppError('TRANSFER_SIGNATURE_INVALID', { field: 'x-transfer-signature' });
  }
  const message = parseTransferMessage(input.rawBody);
  if (message.toCenter !== center.code) {
    throw new AppError('TRANSFER_MESSAGE_MALFORMED', {
      field: 'toCenter',
      details: { toCenter: message.toCenter },
    });
  }
  return db.transaction().execute((tx) => receiveInTx(tx, center, message, input.rawBody, input.signature!));
}

async function receiveInTx(
  tx: DbOrTx,
  center: CenterIdentity,
  message: TransferMessage,
  rawBody: string,
  signature: string,
): Promise<ReceivedPlatformMessage> {
  // One transfer's messages are handled one at a time (concurrent deliveries queue here).
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`transfer:${message.transferNo}`}, 0))`.execute(
    tx,
  );
  const t = tx;
  const bodyHash = sha256(rawBody);
  const first = await t
    .selectFrom('transfer_messages')
    .select(['body_sha256', 'state', 'outcome', 'detail', 'transfer_id'])
    .where('direction', '=', 'inbound')
    .where('message_id', '=', message.messageId)
    .executeTakeFirst();
  const answer = (
    state: ReceivedPlatformMessage['state'],
    applied: Partial<AppliedMessage>,
    replayed: boolean,
    released = 0,
  ): ReceivedPlatformMessage => ({
    messageId: message.messageId,
    transferNo: message.transferNo,
    type: message.type,
    state,
    outcome: applied.outcome ?? null,
    detail: applied.detail ?? null,
    transferId:
      applied.transferId === null || applied.transferId === undefined ? null : String(applied.transferId),
    replayed,
    released,
  });
  if (first) {
    if (first.body_sha256 !== bodyHash) {
      throw new AppError('TRANSFER_MESSAGE_ID_REUSED', {
        field: 'messageId',
        details: { messageId: message.messageId },
      });
    }
    const state = first.state === 'held' || first.state === 'rejected' ? first.state : 'processed';
    return answer(
      state,
      { outcome: first.outcome ?? 'processed', detail: first.detail, transferId: first.transfer_id },
      true,
    );
  }

  const record = (state: 'processed' | 'held' | 'rejected', applied: Partial<AppliedMessage>) =>
    t
      .insertInto('transfer_messages')
      .values({
        message_id: message.messageId,
        direction: 'inbound',
        transfer_no: message.transferNo,
        transfer_id: applied.transferId ?? null,
        type: message.type,
        seq: message.seq,
        raw_body: rawBody,
        body_sha256: bodyHash,
        signature,
        state,
        outcome: applied.outcome ?? null,
        detail: applied.detail ?? null,
      })
      .execute();

  const transfer = await lockTransfer(tx, message.transferNo);
  if (message.seq !== null) {
    const expected = transfer?.inbound_next_seq ?? 1;
    if (message.seq < expected) {
      const applied = { outcome: 'rejected', detail: 'SEQ_ALREADY_USED', transferId: transfer?.id ?? null };
      await record('rejected', applied);
      return answer('rejected', applied, false);
    }
    if (message.seq > expected) {
      const applied = {
        outcome: 'held',
        detail: `AWAITING_SEQ_${expected}`,
        transferId: transfer?.id ?? null,
      };
      await record('held', applied);
      return answer('held', applied, false);
    }
  }
  const applied = await apply(tx, center, message);
  await record('processed', applied);
  if (message.seq === null) return answer('processed', applied, false);

  // In sequence: move the transfer's counter on, then apply any held successors in order.
  let released = 0;
  let next = await advanceSeq(tx, message.transferNo);
  for (;;) {
    const held = await t
      .selectFrom('transfer_messages')
      .select(['id', 'raw_body'])
      .where('direction', '=', 'inbound')
      .where('transfer_no', '=', message.transferNo)
      .where('state', '=', 'held')
      .where('seq', '=', next)
      .executeTakeFirst();
    if (!held) break;
    const heldApplied = await apply(tx, center, parseTransferMessage(held.raw_body));
    await t
      .updateTable('transfer_messages')
      .set({
        state: 'processed',
        outcome: heldApplied.outcome,
        detail: heldApplied.detail,
        transfer_id: heldApplied.transferId,
      })
      .where('id', '=', held.id)
      .execute();
    released += 1;
    next = await advanceSeq(tx, message.transferNo);
  }
  return answer('processed', applied, false, released);
}

/** Moves the transfer's expected inbound sequence on by one; returns the next expected number. */
async function advanceSeq(tx: DbOrTx, transferNo: string): Promise<number> {
  const row = await tx
    .updateTable('transfers')
    .set((eb) => ({ inbound_next_seq: eb('inbound_next_seq', '+', 1) }))
    .where('transfer_no', '=', transferNo)
    .returning('inbound_next_seq')
    .executeTakeFirst();
  return row?.inbound_next_seq ?? Number.MAX_SAFE_INTEGER;
}

async function apply(tx: DbOrTx, center: CenterIdentity, message: TransferMessage): Promise<AppliedMessage> {
  const transfer = await lockTransfer(tx, message.transferNo);
  if (message.type === 'contact_letter') {
    if (transfer) return { outcome: 'rejected', detail: 'TRANSFER_EXISTS', transferId: transfer.id };
    if (message.body.oldCenterCode !== center.code) {
      return { outcome: 'rejected', detail: 'NOT_THIS_CENTER', transferId: null };
    }
    return answerTransferOutLetter(tx, center, message);
  }
  if (!transfer) return { outcome: 'rejected', detail: 'TRANSFER_UNKNOWN', transferId: null };
  if (transfer.peer_center_code !== message.fromCenter) {
    return { outcome: 'rejected', detail: 'NOT_THE_PEER', transferId: transfer.id };
  }
  return transfer.direction === 'in'
    ? applyTransferInMessage(tx, center, transfer, message)
    : confirmTransferOut(tx, transfer, message);
}
