// A unit's monthly remittance (汇缴, business type 01) for its employees, credited to their unit
// accounts in the MANDATORY pool: one entry Dr 101 / Cr 201 per account, the month covered on each
// account (rules.md §3.3: unit months count for continuity), one audit row. Once per unit and month;
// idempotent by the client key.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { compareDates, isIsoMonth } from '../../domain/dates.ts';
import { fenToYuanString, positiveYuanToFen, type Fen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { postEntry } from '../../ledger/post.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import type { Db } from '../../db/connection.ts';

export interface RecordUnitRemittanceInput {
  db: Db;
  actor: Actor;
  employerId: string | bigint;
  /** The month paid for, YYYY-MM; not after the business date's month. */
  month: string;
  /** Per account; when absent, every normal unit account of the unit with a monthly amount, at that amount. */
  lines?: Array<{ accountId: string; amount: string }> | undefined;
  idempotencyKey: string;
}

export interface RecordedUnitRemittance extends Record<string, unknown> {
  remittanceId: string;
  employerId: string;
  month: string;
  total: string;
  journalEntryId: string;
  lines: Array<{ accountId: string; accountNumber: string; amount: string }>;
}

export async function recordUnitRemittance(
  input: RecordUnitRemittanceInput,
): Promise<RecordedUnitRemittance & { replayed: boolean }> {
  const { db, actor, month } = input;
  const employerId = BigInt(input.employerId);
  if (!isIsoMonth(month)) throw new AppError('INVALID_MONTH', { field: 'month' });
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const given = input.lines?.map((l, i) => ({
    accountId: BigInt(l.accountId),
    amountFen: positiveYuanToFen(l.amount, `lines[${i}].amount`),
  }));
  return db.transaction().execute(async (tx) => {
    const payload = { employerId: String(employerId), month, lines: input.lines ?? null };
    const { result, replayed } = await onceByKey(tx, 'unit-remittance', input.idempotencyKey, payload, () =>
      remit(),
    );
    return { ...result, replayed };

    async function remit(): Promise<RecordedUnitRemittance> {
      const today = await getBusinessDate(tx);
      if (compareDates(`${month}-01`, today) > 0)
        throw new AppError('INVALID_MONTH', { field: 'month', details: { businessDate: today } });
      const employer = await tx
        .selectFrom('employers')
        .select('id')
        .where('id', '=', employerId)
        .executeTakeFirst();
      if (!employer) throw new AppError('EMPLOYER_NOT_FOUND', { field: 'employerId' });
      const done = await tx
        .selectFrom('unit_remittances')
        .select('id')
        .where('employer_id', '=', employerId)
        .where('month', '=', `${month}-01`)
        .executeTakeFirst();
      if (done) throw new AppError('UNIT_REMITTANCE_EXISTS', { field: 'month' });
      const accounts = await tx
        .selectFrom('accounts')
        .select(['id', 'account_number', 'employer_id', 'kind', 'state', 'unit_monthly_amount_fen'])
        .where('employer_id', '=', employerId)
        .where('kind', '=', 'unit')
        .orderBy('id')
        .forUpdate()
        .execute();
      let lines: Array<{ accountId: bigint; accountNumber: string; amountFen: Fen }>;
      if (given) {
        lines = given.map((g, i) => {
          const account = accounts.find((a) => a.id === g.accountId);
          if (!account || account.state !== '01')
            throw new AppError('UNIT_REMITTANCE_ACCOUNT_INVALID', { field: `lines[${i}].accountId` });
          return { accountId: g.accountId, accountNumber: account.account_number, amountFen: g.amountFen };
        });
        if (new Set(lines.map((l) => l.accountId)).size !== lines.length)
          throw new AppError('VALIDATION_FAILED', {
            field: 'lines',
            details: { reason: 'duplicate account' },
          });
      } else {
        lines = accounts
          .filter((a) => a.state === '01' && a.unit_monthly_amount_fen !== null)
          .map((a) => ({
            accountId: a.id,
            accountNumber: a.account_number,
            amountFen: a.unit_monthly_amount_fen!,
          }));
      }
      if (lines.length === 0) throw new AppError('UNIT_REMITTANCE_EMPTY', { field: 'lines' });
      const total = lines.reduce((s, l) => s + l.amountFen, 0n);
      const label = actorLabel(actor);
      const entry = await postEntry(
        tx,
        {
          book: 'MANDATORY',
          businessDate: today,
          valueDate: today,
          entryType: 'unit_remittance',
          memo: `单位汇缴 ${month}`,
          sourceType: 'employer',
          sourceId: String(employerId),
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: total },
            ...lines.map((l) => ({
              account: LEDGER.members,
              side: 'C' as const,
              amountFen: l.amountFen,
              memberAccountId: l.accountId,
            })),
          ],
        },
        label,
      );
      const remittance = await tx
        .insertInto('unit_remittances')
        .values({
          employer_id: employerId,
          month: `${month}-01`,
          total_fen: total,
          value_date: today,
          business_date: today,
          journal_entry_id: entry.entryId,
          created_by: label,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('journal_entries')
        .set({ source_type: 'unit_remittance', source_id: String(remittance.id) })
        .where('id', '=', entry.entryId)
        .execute();
      await tx
        .insertInto('unit_remittance_lines')
        .values(
          lines.map((l) => ({
            remittance_id: remittance.id,
            account_id: l.accountId,
            amount_fen: l.amountFen,
          })),
        )
        .execute();
      // A unit month is covered once the unit remitted for it (ours): its lower limit is what was remitted.
      await sql`
        INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered)
        SELECT l.account_id, ${`${month}-01`}::date, l.amount, l.amount, true
        FROM unnest(${lines.map((l) => l.accountId)}::bigint[], ${lines.map((l) => l.amountFen)}::bigint[])
          AS l (account_id, amount)
        ON CONFLICT (account_id, month) DO UPDATE SET
          allocated_fen = account_months.allocated_fen + EXCLUDED.allocated_fen, covered = true`.execute(tx);
      const result: RecordedUnitRemittance = {
        remittanceId: String(remittance.id),
        employerId: String(employerId),
        month,
        total: fenToYuanString(total),
        journalEntryId: String(entry.entryId),
        lines: lines.map((l) => ({
          accountId: String(l.accountId),
          accountNumber: l.accountNumber,
          amount: fenToYuanString(l.amountFen),
        })),
      };
      await recordAudit(tx, {
        actor: label,
        action: 'unit.remit',
        subjectType: 'employer',
        subjectId: employerId,
        businessDate: today,
        summary: { remittanceId: result.remittanceId, month, total: result.total, accounts: lines.length },
      });
      return result;
    }
  });
}
