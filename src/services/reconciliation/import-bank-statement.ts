// Importing the bank's daily statement (对账): each line is matched by bank serial and direction to the
// movement the books record for it (view bank_movements: deposits, loan repayments the bank debited,
// transfer-in funds, payouts sent back; payouts, loan disbursements, transfer-out funds) and the amount
// checked; money in that nothing explains is booked to suspense (Dr 101 / Cr 21902) as a suspense item for
// staff to assign or refund; money out the books do not show is listed. The same file imported again
// changes nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import {
  matchStatementLine,
  parseBankStatement,
  statementDateOf,
  type LineMatch,
} from '../../domain/bank-statement.ts';
import { AppError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { postEntry } from '../../ledger/post.ts';
import { LEDGER } from '../../ledger/chart.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';
import type { BankMovementSource } from '../../db/schema.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { lockForStatementImport } from './serial-lock.ts';

export interface ImportBankStatementInput {
  db: Db;
  actor: Actor;
  fileName: string;
  /** The file as received (UTF-8 CSV). */
  content: string | Buffer;
  /** Default: the latest value date in the file. */
  statementDate?: IsoDate | null;
}

export interface CountAmount {
  count: number;
  amount: string;
}

export interface ImportedBankStatement {
  statementId: string;
  statementDate: IsoDate;
  fileName: string;
  fileSha256: string;
  lineCount: number;
  /** Lines (in and out) matched to a booked movement of the same amount. */
  matched: CountAmount;
  /** Incoming lines nothing booked: now in suspense. */
  suspense: CountAmount & { itemIds: string[] };
  /** Booked with another amount than the bank shows: listed for staff, nothing posted. */
  amountMismatches: AmountMismatch[];
  /** Every outgoing line. */
  outgoing: CountAmount;
  /** Outgoing lines the books do not show (no payout, disbursement or transfer with the serial): listed. */
  outgoingUnbooked: CountAmount & { serials: string[] };
  /** True when this exact file had been imported: the first import's figures, nothing written. */
  replayed: boolean;
}

export interface AmountMismatch {
  serial: string;
  direction: 'in' | 'out';
  bankAmount: string;
  bookedAmount: string;
  sourceType: BankMovementSource;
  sourceId: string;
}

function countAmount(rows: Array<{ amountFen: Fen }>): CountAmount {
  return { count: rows.length, amount: fenToYuanString(rows.reduce((s, r) => s + r.amountFen, 0n)) };
}

/** Rows per INSERT statement (keeps parameter counts far below PostgreSQL's 65,535). */
const CHUNK = 1000;

export async function importBankStatement(input: ImportBankStatementInput): Promise<ImportedBankStatement> {
  const { db, actor } = input;
  const bytes = typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content;
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = input.fileName.trim().slice(0, 200);
  if (!fileName) throw new AppError('VALIDATION_FAILED', { field: 'fileName' });
  // Parse before any transaction: a malformed file is refused whole and writes nothing.
  const lines = parseBankStatement(bytes.toString('utf8'));
  const statementDate = statementDateOf(lines, input.statementDate);

  return db.transaction().execute(async (tx) => {
    // Exclusive against notifications: each serial is either credited by its notification (committed
    // before this) or put in suspense here, never both.
    await lockForStatementImport(tx);
    const existing = await tx
      .selectFrom('bank_statements')
      .select('id')
      .where('file_sha256', '=', fileSha256)
      .executeTakeFirst();
    if (existing) return { ...(await summarizeStatement(tx, existing.id)), replayed: true };

    const serials = lines.map((l) => l.serial);
    const already = serials.length
      ? await tx
          .selectFrom('bank_statement_lines')
          .select(['bank_serial', 'direction'])
          .where(sql<boolean>`bank_serial = ANY(${serials}::text[])`)
          .execute()
      : [];
    const alreadyKeys = new Set(already.map((r) => `${r.bank_serial}:${r.direction}`));
    const repeated = lines.filter((l) => alreadyKeys.has(`${l.serial}:${l.direction}`)).map((l) => l.serial);
    if (repeated.length > 0) {
      throw new AppError('BANK_STATEMENT_SERIAL_REPEATED', {
        field: 'content',
        details: { serials: repeated.slice(0, 20), total: repeated.length },
      });
    }
    const movements = serials.length
      ? await tx
          .selectFrom('bank_movements')
          .select(['direction', 'bank_serial', 'amount_fen', 'source_type', 'source_id'])
          .where(sql<boolean>`bank_serial = ANY(${serials}::text[])`)
          .orderBy('source_type')
          .orderBy('source_id')
          .execute()
      : [];
    const movementByKey = new Map<string, (typeof movements)[number]>();
    for (const m of movements) {
      const key = `${m.bank_serial}:${m.direction}`;
      if (!movementByKey.has(key)) movementByKey.set(key, m);
    }

    const businessDate = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const statement = await tx
      .insertInto('bank_statements')
      .values({
        statement_date: statementDate,
        file_sha256: fileSha256,
        file_name: fileName,
        line_count: lines.length,
        imported_by: label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const classified = lines.map((l) => {
      const movement = movementByKey.get(`${l.serial}:${l.direction}`);
      const match: LineMatch = matchStatementLine(l, movement?.amount_fen ?? null);
      return { line: l, movement, match };
    });
    const status = (m: LineMatch) =>
      m === 'matched' ? 'matched' : m === 'unbooked_in' ? 'suspense' : 'unmatched';
    const lineIds = new Map<number, bigint>();
    for (let i = 0; i < classified.length; i += CHUNK) {
      const rows = await tx
        .insertInto('bank_statement_lines')
        .values(
          classified.slice(i, i + CHUNK).map(({ line, movement, match }) => ({
            statement_id: statement.id,
            line_no: line.lineNo,
            bank_serial: line.serial,
            value_date: line.valueDate,
            direction: line.direction,
            amount_fen: line.amountFen,
            counterparty: line.counterparty,
            memo: line.memo,
            match_status: status(match),
            deposit_id: movement?.source_type === 'deposit' ? movement.source_id : null,
            source_type: movement?.source_type ?? null,
            source_id: movement?.source_id ?? null,
          })),
        )
        .returning(['id', 'line_no'])
        .execute();
      for (const r of rows) lineIds.set(r.line_no, r.id);
    }

    // Money in the bank that nobody booked: into suspense, one entry and one item per line.
    const itemIds: string[] = [];
    for (const { line } of classified.filter((c) => c.match === 'unbooked_in')) {
      const entry = await postEntry(
        tx,
        {
          book: 'FLEX',
          businessDate,
          valueDate: line.valueDate,
          entryType: 'suspense_receipt',
          memo: `待查明款项 ${line.serial}`,
          sourceType: 'bank_statement_line',
          sourceId: String(lineIds.get(line.lineNo)),
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: line.amountFen },
            { account: LEDGER.suspense, side: 'C', amountFen: line.amountFen },
          ],
        },
        label,
      );
      const item = await tx
        .insertInto('suspense_items')
        .values({
          statement_line_id: lineIds.get(line.lineNo)!,
          amount_fen: line.amountFen,
          value_date: line.valueDate,
          status: 'open',
          journal_entry_id: entry.entryId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      itemIds.push(String(item.id));
    }

    const summary = await summarizeStatement(tx, statement.id);
    await recordAudit(tx, {
      actor: label,
      action: 'bank_statement.import',
      subjectType: 'bank_statement',
      subjectId: statement.id,
      businessDate,
      summary: {
        fileName,
        fileSha256,
        statementDate,
        lines: lines.length,
        matched: summary.matched,
        suspense: { count: summary.suspense.count, amount: summary.suspense.amount },
        amountMismatches: summary.amountMismatches.length,
        outgoing: summary.outgoing,
        outgoingUnbooked: { count: summary.outgoingUnbooked.count, amount: summary.outgoingUnbooked.amount },
      },
    });
    return { ...summary, replayed: false };
  });
}

/** A statement's figures as stored (status at import: a line later resolved still counts as suspense here). */
async function summarizeStatement(
  tx: DbOrTx,
  statementId: bigint,
): Promise<Omit<ImportedBankStatement, 'replayed'>> {
  const statement = await tx
    .selectFrom('bank_statements')
    .selectAll()
    .where('id', '=', statementId)
    .executeTakeFirstOrThrow();
  const lines = await statementLinesWithMovements(tx)
    .leftJoin('suspense_items as s', 's.statement_line_id', 'l.id')
    .select('s.id as item_id')
    .where('l.statement_id', '=', statementId)
    .orderBy('l.line_no')
    .execute();
  const pick = (f: (l: (typeof lines)[number]) => boolean) =>
    lines.filter(f).map((l) => ({ amountFen: l.amount_fen }));
  const suspenseLines = lines.filter((l) => l.item_id !== null);
  const unbookedOut = lines.filter((l) => l.direction === 'out' && l.source_type === null);
  return {
    statementId: String(statement.id),
    statementDate: statement.statement_date,
    fileName: statement.file_name,
    fileSha256: statement.file_sha256,
    lineCount: statement.line_count,
    matched: countAmount(pick((l) => l.match_status === 'matched')),
    suspense: {
      ...countAmount(suspenseLines.map((l) => ({ amountFen: l.amount_fen }))),
      itemIds: suspenseLines.map((l) => String(l.item_id)),
    },
    amountMismatches: amountMismatchesOf(lines),
    outgoing: countAmount(pick((l) => l.direction === 'out')),
    outgoingUnbooked: {
      ...countAmount(unbookedOut.map((l) => ({ amountFen: l.amount_fen }))),
      serials: unbookedOut.map((l) => l.bank_serial),
    },
  };
}

/** Statement lines with the movement each was matched to (amount as booked), for summaries and reports. */
export function statementLinesWithMovements(db: DbOrTx) {
  return db
    .selectFrom('bank_statement_lines as l')
    .leftJoin('bank_movements as m', (j) =>
      j
        .onRef('m.bank_serial', '=', 'l.bank_serial')
        .onRef('m.direction', '=', 'l.direction')
        .onRef('m.source_type', '=', 'l.source_type')
        .onRef('m.source_id', '=', 'l.source_id'),
    )
    .select([
      'l.id',
      'l.bank_serial',
      'l.direction',
      'l.amount_fen',
      'l.match_status',
      'l.deposit_id',
      'l.source_type',
      'l.source_id',
      'm.amount_fen as booked_amount_fen',
    ]);
}

/** Lines whose serial the books record with another amount (match_status 'unmatched' with a source). */
export function amountMismatchesOf(
  lines: Array<{
    bank_serial: string;
    direction: 'in' | 'out';
    amount_fen: bigint;
    match_status: string;
    source_type: BankMovementSource | null;
    source_id: bigint | null;
    booked_amount_fen: bigint | null;
  }>,
): AmountMismatch[] {
  return lines
    .filter((l) => l.match_status === 'unmatched' && l.source_type !== null)
    .map((l) => ({
      serial: l.bank_serial,
      direction: l.direction,
      bankAmount: fenToYuanString(l.amount_fen),
      bookedAmount: fenToYuanString(l.booked_amount_fen ?? 0n),
      sourceType: l.source_type!,
      sourceId: String(l.source_id),
    }));
}

/** Statements imported for a date, newest first. */
export async function listBankStatements(db: DbOrTx, statementDate?: IsoDate) {
  let q = db
    .selectFrom('bank_statements')
    .select([
      'id',
      'statement_date',
      'file_name',
      'file_sha256',
      'line_count',
      'imported_by',
      sql<string>`created_at::text`.as('created_at'),
    ])
    .orderBy('id', 'desc');
  if (statementDate) q = q.where('statement_date', '=', statementDate);
  return (await q.execute()).map((r) => ({
    statementId: String(r.id),
    statementDate: r.statement_date,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    lineCount: r.line_count,
    importedBy: r.imported_by,
    importedAt: r.created_at,
  }));
}
