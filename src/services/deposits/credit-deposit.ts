// Credits one payment to a member account (rules.md §3): checks the account, the person and the limits
// in force on the value date, posts Dr 101 (or the suspense being cleared) / Cr 201, allocates the money
// to the months it covers, keeps covered months current, and audits it, all in the caller's transaction.
// Every way money comes in (bank debit, counter, portal order, bank transfer, suspense) ends here.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { allocateDeposit, checkPayment, consecutiveMonths } from '../../domain/deposits.ts';
import { hpfYearOf, monthOf, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { isRetired } from '../../domain/retirement.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { postEntry } from '../../ledger/post.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import { depositLimitsOn } from '../agreements/prepare-agreement.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { DepositChannel } from '../../db/schema.ts';

export interface CreditDepositInput {
  accountId: bigint;
  amountFen: Fen;
  valueDate: IsoDate;
  channel: DepositChannel;
  actor: Actor;
  bankSerial?: string | null;
  /** The periodic period this pays; when absent for a periodic plan, the oldest due period is paid. */
  periodId?: bigint | null;
  paymentOrderId?: bigint | null;
  /** The ledger account the money comes from: the bank (101) or the suspense being assigned (21902). */
  from?: typeof LEDGER.bank | typeof LEDGER.suspense;
}

export interface CreditedDeposit {
  depositId: string;
  accountId: string;
  amount: string;
  valueDate: string;
  months: string[];
  periodId: string | null;
  journalEntryId: string;
}

export async function creditDeposit(tx: DbOrTx, input: CreditDepositInput): Promise<CreditedDeposit> {
  const { accountId, amountFen, valueDate, actor } = input;
  if (amountFen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field: 'amount' });
  const account = await tx
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select(['a.id', 'a.state', 'a.pool', 'a.kind', 'a.account_number', 'd.birth_date', 'd.retirement_group'])
    .where('a.id', '=', accountId)
    .forUpdate('a')
    .executeTakeFirst();
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  if (account.kind !== 'flexible')
    throw new AppError('ACCOUNT_STATE_INVALID', { field: 'accountId', details: { kind: account.kind } });
  if (account.state !== '01') {
    throw new AppError('DEPOSIT_ACCOUNT_NOT_OPEN', { field: 'accountId', details: { state: account.state } });
  }
  // rules.md §1: after the retirement age the account stays open but new deposits stop.
  if (isRetired(account.birth_date, account.retirement_group, valueDate)) {
    throw new AppError('DEPOSITOR_RETIRED', { field: 'accountId' });
  }
  const agreement = await tx
    .selectFrom('agreements')
    .select(['id', 'deposit_mode', 'monthly_amount_fen'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'signed')
    .executeTakeFirst();
  if (!agreement) throw new AppError('AGREEMENT_NOT_SIGNED', { field: 'accountId' });

  let period: { id: bigint; period_start: string; amount_fen: bigint } | undefined;
  if (agreement.deposit_mode !== 'flexible') {
    let q = tx
      .selectFrom('deposit_periods')
      .select(['id', 'period_start', 'amount_fen', 'status', 'catch_up_allowed'])
      .where('account_id', '=', accountId)
      .forUpdate();
    q = input.periodId
      ? q.where('id', '=', input.periodId)
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
    if (!found) throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    if (found.status === 'paid') throw new AppError('DEPOSIT_PERIOD_ALREADY_PAID', { field: 'periodId' });
    if (found.status === 'cancelled') throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    // rules.md §3.2: a missed period is collected later only when the center enabled catch-up for it.
    if (found.status === 'missed' && !found.catch_up_allowed)
      throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    period = found;
  }

  const hpfYear = hpfYearOf(valueDate);
  const limits = await depositLimitsOn(tx, valueDate);
  const paid = await tx
    .selectFrom('deposits')
    .select(sql<string>`coalesce(sum(amount_fen), 0)::text`.as('total'))
    .where('account_id', '=', accountId)
    .where('hpf_year', '=', hpfYear)
    .executeTakeFirstOrThrow();
  checkPayment({
    mode: agreement.deposit_mode,
    amountFen,
    limits,
    paidThisHpfYearFen: BigInt(paid.total),
    ...(period ? { expectedPeriodAmountFen: period.amount_fen } : {}),
  });

  const businessDate = await getBusinessDate(tx);
  const from = input.from ?? LEDGER.bank;
  const label = actorLabel(actor);
  const entry = await postEntry(
    tx,
    {
      book: 'FLEX',
      businessDate,
      valueDate,
      entryType: 'deposit',
      memo: `缴存 ${account.account_number}`,
      sourceType: 'account',
      sourceId: String(accountId),
      postings: [
        { account: from, side: 'D', amountFen },
        { account: LEDGER.members, side: 'C', amountFen, memberAccountId: accountId },
      ],
    },
    label,
  );
  const deposit = await tx
    .insertInto('deposits')
    .values({
      account_id: accountId,
      amount_fen: amountFen,
      value_date: valueDate,
      business_date: businessDate,
      channel: input.channel,
      bank_serial: input.bankSerial ?? null,
      deposit_period_id: period?.id ?? null,
      payment_order_id: input.paymentOrderId ?? null,
      journal_entry_id: entry.entryId,
      hpf_year: hpfYear,
      created_by: label,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('journal_entries')
    .set({ source_type: 'deposit', source_id: String(deposit.id) })
    .where('id', '=', entry.entryId)
    .execute();

  const allocations = allocateDeposit({
    mode: agreement.deposit_mode,
    periodStartMonth: period ? monthOf(period.period_start) : null,
    valueDate,
    amountFen,
  });
  await tx
    .insertInto('deposit_allocations')
    .values(
      allocations.map((a) => ({ deposit_id: deposit.id, month: `${a.month}-01`, amount_fen: a.amountFen })),
    )
    .execute();
  for (const a of allocations) {
    // A month is covered when what is allocated to it reaches that month's lower limit (rules.md §3.3).
    const lower = await getFenParameter(tx, 'deposit.monthly_lower_limit_fen', `${a.month}-01`);
    await sql`
      INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered)
      VALUES (${accountId}, ${`${a.month}-01`}::date, ${a.amountFen}, ${lower}, ${a.amountFen >= lower})
      ON CONFLICT (account_id, month) DO UPDATE SET
        allocated_fen = account_months.allocated_fen + EXCLUDED.allocated_fen,
        covered = account_months.allocated_fen + EXCLUDED.allocated_fen >= account_months.lower_limit_fen`.execute(
      tx,
    );
  }
  if (period) {
    await tx
      .updateTable('deposit_periods')
      .set({ status: 'paid', deposit_id: deposit.id })
      .where('id', '=', period.id)
      .execute();
  }
  await recordAudit(tx, {
    actor: label,
    action: 'deposit.credit',
    subjectType: 'account',
    subjectId: accountId,
    businessDate,
    summary: {
      depositId: String(deposit.id),
      amount: fenToYuanString(amountFen),
      valueDate,
      channel: input.channel,
      bankSerial: input.bankSerial ?? null,
      periodId: period ? String(period.id) : null,
      months: allocations.map((a) => a.month),
    },
  });
  return {
    depositId: String(deposit.id),
    accountId: String(accountId),
    amount: fenToYuanString(amountFen),
    valueDate,
    months: allocations.map((a) => a.month),
    periodId: period ? String(period.id) : null,
    journalEntryId: String(entry.entryId),
  };
}

/** Months a depositor's covered run reaches back from `latestCompletedMonth` (rules.md §3.3). */
export async function consecutiveCoveredMonths(
  db: DbOrTx,
  accountId: bigint,
  latestCompletedMonth: string,
): Promise<number> {
  const rows = await db
    .selectFrom('account_months')
    .select('month')
    .where('account_id', '=', accountId)
    .where('covered', '=', true)
    .where('month', '<=', `${latestCompletedMonth}-01`)
    .execute();
  return consecutiveMonths(
    rows.map((r) => monthOf(r.month)),
    latestCompletedMonth,
  );
}
