// Transfer out (异地转出, rules.md §5.4 step 4): a new center's contact letter names one of our accounts.
// Checks it (the account and person, not closed, not frozen, no loan outstanding) and refuses with status
// 13 and a reason, or settles interest to date (Dr 41101 / Cr 201, §4.1), pays the balance out
// (Dr 201 / Cr 21903 until the peer confirms), closes the account with state 04 and answers 02 with the
// account sheet and the funds. Runs in the caller's transaction (receive-platform-message.ts).
import { sql } from 'kysely';
import { decryptIdNumber } from '../../auth/pii.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { isClosedState } from '../../domain/account-state.ts';
import { addMonthsToMonth, hpfYearOf, monthOf, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import {
  TRANSFER_BUSINESS_TYPE,
  TRANSFER_STATUS,
  type TransferRefusalReason,
} from '../../domain/transfer-codes.ts';
import type { AccountSheet, ContactLetter } from '../../domain/transfer-messages.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { consecutiveCoveredMonths } from '../deposits/credit-deposit.ts';
import { interestToDate } from '../interest/interest-to-date.ts';
import { hasOutstandingLoan } from '../loans/has-outstanding-loan.ts';
import { PLATFORM_LABEL, type AppliedMessage } from './applied-message.ts';
import { queueOutbound, type CenterIdentity } from './transfer-store.ts';

export async function answerTransferOutLetter(
  tx: DbOrTx,
  center: CenterIdentity,
  message: { transferNo: string; fromCenter: string; body: ContactLetter },
): Promise<AppliedMessage> {
  const letter = message.body;
  const businessDate = await getBusinessDate(tx);
  const account = await tx
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select([
      'a.id',
      'a.account_number',
      'a.pool',
      'a.state',
      'a.opened_on',
      'a.balance_fen',
      'a.depositor_id',
      'd.id_number_enc',
      'd.name',
    ])
    .where('a.account_number', '=', letter.oldAccountNumber)
    .forUpdate('a')
    .executeTakeFirst();

  let refusal: TransferRefusalReason | null = null;
  if (!account) refusal = 'ACCOUNT_NOT_FOUND';
  else if (decryptIdNumber(account.id_number_enc) !== letter.person.idNumber.trim().toUpperCase())
    refusal = 'PERSON_MISMATCH';
  else if (isClosedState(account.state)) refusal = 'ACCOUNT_CLOSED';
  else if (account.state === '06') refusal = 'ACCOUNT_FROZEN';
  else if (await hasOutstandingLoan(tx, account.depositor_id)) refusal = 'LOAN_OUTSTANDING';

  const t = tx;
  const transfer = await t
    .insertInto('transfers')
    .values({
      transfer_no: message.transferNo,
      direction: 'out',
      business_type: TRANSFER_BUSINESS_TYPE.transferOut,
      // A refused letter naming another person's account is not linked to that account.
      account_id: account && refusal !== 'PERSON_MISMATCH' ? account.id : null,
      depositor_id: account && refusal !== 'PERSON_MISMATCH' ? account.depositor_id : null,
      peer_center_code: message.fromCenter,
      peer_center_name: letter.newCenterName,
      peer_account_number: letter.newAccountNumber,
      stage: refusal ? 'refused' : 'paid_out',
      platform_status: refusal ? TRANSFER_STATUS.transferOutRefused : TRANSFER_STATUS.letterAccepted,
      refusal_reason: refusal,
      contact_letter: JSON.stringify(letter),
      business_date: businessDate,
      created_by: PLATFORM_LABEL,
    })
    .returning(['id', 'transfer_no', 'direction', 'peer_center_code'])
    .executeTakeFirstOrThrow();

  if (refusal || !account) {
    await queueOutbound(tx, center, transfer, 'status', {
      status: TRANSFER_STATUS.transferOutRefused,
      reason: refusal ?? 'ACCOUNT_NOT_FOUND',
    });
    await recordAudit(tx, {
      actor: PLATFORM_LABEL,
      action: 'transfer.out.refused',
      subjectType: 'transfer',
      subjectId: transfer.id,
      businessDate,
      summary: { transferNo: message.transferNo, accountNumber: letter.oldAccountNumber, reason: refusal },
    });
    return { outcome: 'refused', detail: refusal, transferId: transfer.id };
  }

  // Interest up to (not including) today, then the whole balance leaves today (§4.1, §5.2).
  const { interestFen } = await interestToDate(tx, account.id, { upTo: businessDate });
  const principalFen = account.balance_fen;
  const source = { sourceType: 'transfer', sourceId: String(transfer.id) };
  let interestEntryId: bigint | null = null;
  if (interestFen > 0n) {
    const entry = await postEntry(
      tx,
      {
        book: account.pool,
        businessDate,
        valueDate: businessDate,
        entryType: 'interest_transfer_out',
        memo: `转出结息 ${account.account_number}`,
        ...source,
        postings: [
          { account: LEDGER.interestExpense, side: 'D', amountFen: interestFen },
          { account: LEDGER.members, side: 'C', amountFen: interestFen, memberAccountId: account.id },
        ],
      },
      PLATFORM_LABEL,
    );
    interestEntryId = entry.entryId;
    await tx
      .insertInto('account_interest')
      .values({
        account_id: account.id,
        hpf_year: hpfYearOf(businessDate),
        settled_on: businessDate,
        interest_fen: interestFen,
        kind: 'transfer_out',
      })
      .execute();
  }
  const totalFen = principalFen + interestFen;
  let payoutEntryId: bigint | null = null;
  if (totalFen > 0n) {
    const entry = await postEntry(
      tx,
      {
        book: account.pool,
        businessDate,
        valueDate: businessDate,
        entryType: 'transfer_out',
        memo: `异地转出 ${account.account_number} ${message.transferNo}`,
        ...source,
        postings: [
          { account: LEDGER.members, side: 'D', amountFen: totalFen, memberAccountId: account.id },
          { account: LEDGER.payoutsInTransit, side: 'C', amountFen: totalFen },
        ],
      },
      PLATFORM_LABEL,
    );
    payoutEntryId = entry.entryId;
  }
  await tx
    .updateTable('accounts')
    .set({ state: '04', closed_on: businessDate })
    .where('id', '=', account.id)
    .execute();
  // The periodic plan ends with the account: nothing more is debited.
  await tx
    .updateTable('deposit_periods')
    .set({ status: 'cancelled' })
    .where('account_id', '=', account.id)
    .where('status', '=', 'due')
    .execute();
  await tx
    .updateTable('agreements')
    .set({ next_period_start: null, next_due_date: null })
    .where('account_id', '=', account.id)
    .execute();

  const sheet = await buildSheet(tx, account, businessDate, principalFen, interestFen);
  const fundsSerial = `${center.code}F${message.transferNo}`;
  await t
    .updateTable('transfers')
    .set({
      account_sheet: JSON.stringify(sheet),
      principal_fen: principalFen,
      interest_fen: interestFen,
      funds_fen: totalFen,
      funds_serial: totalFen > 0n ? fundsSerial : null,
      funds_value_date: businessDate,
      payout_entry_id: payoutEntryId,
      // Nothing to pay: done at once.
      stage: totalFen > 0n ? 'paid_out' : 'done',
      platform_status: totalFen > 0n ? TRANSFER_STATUS.letterAccepted : TRANSFER_STATUS.done,
    })
    .where('id', '=', transfer.id)
    .execute();
  await queueOutbound(tx, center, transfer, 'status', { status: TRANSFER_STATUS.letterAccepted });
  await queueOutbound(tx, center, transfer, 'account_sheet', sheet);
  if (totalFen > 0n) {
    await queueOutbound(tx, center, transfer, 'funds', {
      amount: fenToYuanString(totalFen),
      serial: fundsSerial,
      valueDate: businessDate,
    });
  }
  await recordAudit(tx, {
    actor: PLATFORM_LABEL,
    action: 'transfer.out.pay',
    subjectType: 'account',
    subjectId: account.id,
    businessDate,
    summary: {
      transferNo: message.transferNo,
      newCenterCode: message.fromCenter,
      principal: fenToYuanString(principalFen),
      interest: fenToYuanString(interestFen),
      interestEntryId: interestEntryId === null ? null : String(interestEntryId),
      payoutEntryId: payoutEntryId === null ? null : String(payoutEntryId),
      state: { before: account.state, after: '04' },
    },
  });
  return { outcome: 'paid_out', detail: null, transferId: transfer.id };
}

/**
 * 账户信息表 of the closing account: amounts, open date, paid-up-to month, the covered run and the HPF
 * loans used here.
 */
async function buildSheet(
  tx: DbOrTx,
  account: { id: bigint; account_number: string; name: string; opened_on: string; depositor_id: bigint },
  businessDate: IsoDate,
  principalFen: bigint,
  interestFen: bigint,
): Promise<AccountSheet> {
  const latest = await sql<{ month: string | null }>`
    SELECT max(month)::text AS month FROM account_months WHERE account_id = ${account.id} AND covered`.execute(
    tx,
  );
  const lastCovered = latest.rows[0]?.month ?? null;
  const paidUpToMonth = lastCovered ? monthOf(lastCovered) : addMonthsToMonth(monthOf(account.opened_on), -1);
  const latestCompleted = addMonthsToMonth(monthOf(businessDate), -1);
  const continuousMonths = lastCovered ? await consecutiveCoveredMonths(tx, account.id, paidUpToMonth) : 0;
  const lastSix = await consecutiveCoveredMonths(tx, account.id, latestCompleted);
  // 使用住房公积金贷款次数: the loans this person took up here, i.e. that were disbursed (still 'disbursed'
  // or since 'settled'), as borrower or as spouse co-borrower: a household's loan counts for each of the
  // two. Applications that never paid out (rejected, or stopped before disbursement) are not loans used.
  const loans = await tx
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['disbursed', 'settled'])
    .where((eb) =>
      eb.or([
        eb('depositor_id', '=', account.depositor_id),
        eb('spouse_depositor_id', '=', account.depositor_id),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    accountNumber: account.account_number,
    name: account.name,
    principal: fenToYuanString(principalFen),
    interest: fenToYuanString(interestFen),
    openDate: account.opened_on,
    paidUpToMonth,
    continuousMonths,
    lastSixMonthsContinuous: lastSix >= 6,
    loansUsed: Number(loans.n),
    // A letter for a person with a loan outstanding (hasOutstandingLoan) was refused above: none here.
    loanOutstanding: false,
    // No fraud register is kept yet; a refusal covers known cases.
    fraudFound: false,
  };
}
