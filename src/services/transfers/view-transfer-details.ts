// One transfer as staff follow it (rules.md §5.4): the transfer with its account and person, the contact
// letter (ID number masked), the account sheet, every platform message in and out in order (the
// timeline), the journal entries it caused and the money it holds on a waiting account: 21904 for
// transfer-in funds awaiting their sheet, 21903 for transfer-out funds until the new center confirms.
// The steps are driven by platform messages; staff read them here.
import { sql } from 'kysely';
import { maskIdNumber } from '../../auth/pii.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { AccountSheet, ContactLetter } from '../../domain/transfer-messages.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { canSeeFullIdNumber } from '../depositors/view-depositor.ts';
import { viewTransfer, type TransferView } from './transfer-store.ts';

export interface TransferMessageLine {
  messageId: string;
  direction: 'inbound' | 'outbound';
  type: string;
  seq: number | null;
  state: string;
  outcome: string | null;
  detail: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** From the message body: a status code with its reason, or the money of a funds message or sheet. */
  status: string | null;
  reason: string | null;
  amount: string | null;
}

export interface TransferDetails extends TransferView {
  accountNumber: string | null;
  depositorName: string | null;
  contactLetter: ContactLetter | null;
  accountSheet: AccountSheet | null;
  messages: TransferMessageLine[];
  entries: Array<{
    entryId: string;
    book: string;
    entryType: string;
    businessDate: string;
    memo: string;
    amount: string;
  }>;
  /** Money of this transfer still on a waiting account (21903 or 21904), or null when none. */
  held: { ledgerAccount: string; amount: string } | null;
}

function parsed<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return null;
    }
  }
  return value as T;
}

export async function viewTransferDetails(
  db: DbOrTx,
  actor: Actor,
  transferIdText: string,
): Promise<TransferDetails> {
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const transferId = BigInt(transferIdText);
  const view = await viewTransfer(db, transferId);
  if (!view) throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
  const t = db;
  const row = await t
    .selectFrom('transfers as t')
    .leftJoin('accounts as a', 'a.id', 't.account_id')
    .leftJoin('depositors as d', 'd.id', 't.depositor_id')
    .select(['t.contact_letter', 't.account_sheet', 'a.account_number', 'a.district_code', 'd.name'])
    .where('t.id', '=', transferId)
    .executeTakeFirstOrThrow();
  const scope = districtScopeOf(actor);
  if (scope !== null && row.district_code !== scope) throw new AppError('FORBIDDEN');

  const letter = parsed<ContactLetter>(row.contact_letter);
  const fullId = canSeeFullIdNumber(actor);
  const contactLetter: ContactLetter | null = letter
    ? {
        ...letter,
        person: {
          ...letter.person,
          idNumber: maskIdNumber(letter.person.idNumber.trim().toUpperCase()),
          phone: fullId
            ? letter.person.phone
            : `${letter.person.phone.slice(0, 3)}****${letter.person.phone.slice(-4)}`,
        },
      }
    : null;

  const messages = await t
    .selectFrom('transfer_messages')
    .select([
      'message_id',
      'direction',
      'type',
      'seq',
      'state',
      'outcome',
      'detail',
      'attempts',
      'last_error',
      'created_at',
      'sent_at',
      'raw_body',
    ])
    .where('transfer_id', '=', transferId)
    // An inbound message is stored after the answers it queued, in the same transaction (one now()):
    // by time, then the message before its answers.
    .orderBy('created_at')
    .orderBy(sql`direction = 'outbound'`)
    .orderBy('id')
    .execute();

  const entries = await sql<{
    id: bigint;
    book: string;
    entry_type: string;
    business_date: string;
    memo: string;
    amount_fen: bigint;
  }>`
    SELECT je.id, je.book, je.entry_type, je.business_date, je.memo,
      (SELECT coalesce(sum(p.amount_fen), 0)::bigint FROM postings p WHERE p.entry_id = je.id AND p.side = 'D') AS amount_fen
    FROM journal_entries je
    WHERE je.source_type = 'transfer' AND je.source_id = ${String(transferId)}
    ORDER BY je.id`.execute(db);
  const waiting = await sql<{ account_code: string; held_fen: bigint }>`
    SELECT p.account_code,
      (sum(CASE WHEN p.side = 'C' THEN p.amount_fen ELSE -p.amount_fen END))::bigint AS held_fen
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id
    WHERE je.source_type = 'transfer' AND je.source_id = ${String(transferId)}
      AND p.account_code IN (${LEDGER.payoutsInTransit}, ${LEDGER.transferFundsAwaiting})
    GROUP BY p.account_code`.execute(db);
  const held = waiting.rows.find((w) => BigInt(w.held_fen) > 0n);

  return {
    ...view,
    accountNumber: row.account_number,
    depositorName: row.name,
    contactLetter,
    accountSheet: parsed<AccountSheet>(row.account_sheet),
    messages: messages.map((m) => {
      const body = parsed<{ body?: Record<string, unknown> }>(m.raw_body)?.body ?? {};
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const sheetAmount = (() => {
        const principal = text(body.principal);
        const interest = text(body.interest);
        if (m.type !== 'account_sheet' || principal === null || interest === null) return null;
        try {
          return fenToYuanString(yuanToFen(principal) + yuanToFen(interest));
        } catch {
          return null;
        }
      })();
      return {
        messageId: m.message_id,
        direction: m.direction,
        type: m.type,
        seq: m.seq,
        state: m.state,
        outcome: m.outcome,
        detail: m.detail,
        attempts: m.attempts,
        lastError: m.last_error,
        createdAt: m.created_at.toISOString(),
        sentAt: m.sent_at ? m.sent_at.toISOString() : null,
        status: m.type === 'status' ? text(body.status) : null,
        reason: m.type === 'status' ? text(body.reason) : null,
        amount: m.type === 'funds' ? text(body.amount) : sheetAmount,
      };
    }),
    entries: entries.rows.map((e) => ({
      entryId: String(e.id),
      book: e.book,
      entryType: e.entry_type,
      businessDate: e.business_date,
      memo: e.memo,
      amount: fenToYuanString(BigInt(e.amount_fen)),
    })),
    held: held ? { ledgerAccount: held.account_code, amount: fenToYuanString(BigInt(held.held_fen)) } : null,
  };
}
