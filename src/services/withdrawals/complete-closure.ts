// The closure itself (销户, rules.md §4.1, §4.2, §5.2), in the caller's transaction with the account
// locked: interest up to (not including) the closing day credited (Dr 41101 / Cr 201 — the month-end
// accrual then reverses what it had accrued for a closed account, see accrue-month-end-interest.ts), the
// deposit subsidy when §4.2 holds (Dr 41102 / Cr 201), the whole balance paid out (Dr 201 / Cr 21903 +
// payout row), state 05, the agreement ended, any standing rent order ended, due periods cancelled, and
// a closure certificate with a verification code. Called on request (close-account.ts) or when a
// reviewer approves a closure that waited for a second staff member (decide-withdrawal.ts).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { parts, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { verificationCode } from '../../domain/tax-certificate.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { SUBSIDY_ENTRY_TYPE, subsidyPreview } from '../deposits/subsidy-preview.ts';
import { interestToDate } from '../interest/interest-to-date.ts';
import { certificateSecret } from '../statements/issue-tax-certificate.ts';
import type { LockedAccount } from './evaluate-withdrawal.ts';
import { postWithdrawal } from './post-withdrawal.ts';

export interface ClosureCertificateContent {
  withdrawalId: string;
  accountNumber: string;
  depositor: { name: string; idNumberMasked: string };
  closedOn: string;
  principal: string;
  interest: string;
  subsidy: string;
  total: string;
  bankName: string;
  bankCardMasked: string;
}

export interface CompletedClosure {
  withdrawalId: string;
  accountId: string;
  closedOn: string;
  principal: string;
  interest: string;
  subsidy: string;
  total: string;
  payoutId: string | null;
  requestNo: string | null;
  verificationCode: string;
}

export function maskCard(card: string): string {
  return card.length <= 8 ? card : `${card.slice(0, 4)}${'*'.repeat(card.length - 8)}${card.slice(-4)}`;
}

export async function completeClosureInTx(
  tx: DbOrTx,
  input: {
    actor: Actor;
    label: string;
    account: LockedAccount;
    businessDate: IsoDate;
    /** The closure request that waited for review; absent: a new withdrawal row is written. */
    withdrawalId?: bigint;
  },
): Promise<CompletedClosure> {
  const { actor, label, account, businessDate } = input;
  const accountId = account.id;
  // rules.md §4.1, §5.2: interest up to, not including, the closing day; the subsidy per §4.2 (computed
  // before the payout, which would count as a use).
  const { interestFen } = await interestToDate(tx, accountId, { upTo: businessDate });
  const subsidy = await subsidyPreview(tx, actor, accountId, { closureDate: businessDate });
  const subsidyFen = yuanToFen(subsidy.subsidy);
  const principalFen = account.balanceFen;
  const credit = async (entryType: string, from: string, amountFen: bigint, memo: string) => {
    if (amountFen <= 0n) return;
    await postEntry(
      tx,
      {
        book: account.pool,
        businessDate,
        valueDate: businessDate,
        entryType,
        memo,
        sourceType: 'account',
        sourceId: String(accountId),
        postings: [
          { account: from, side: 'D', amountFen },
          { account: LEDGER.members, side: 'C', amountFen, memberAccountId: accountId },
        ],
      },
      label,
    );
  };
  await credit('interest_closure', LEDGER.interestExpense, interestFen, `销户结息 ${account.accountNumber}`);
  await credit(SUBSIDY_ENTRY_TYPE, LEDGER.subsidyExpense, subsidyFen, `缴存补贴 ${account.accountNumber}`);
  const totalFen = principalFen + interestFen + subsidyFen;

  const amounts = { amount_fen: totalFen, interest_fen: interestFen, subsidy_fen: subsidyFen };
  const row =
    input.withdrawalId === undefined
      ? await tx
          .insertInto('withdrawals')
          .values({
            account_id: accountId,
            depositor_id: account.depositorId,
            kind: 'closure',
            business_type: '12',
            reason_code: '99',
            channel: actor.type === 'depositor' ? 'self_service' : 'counter',
            status: 'pending_review',
            ...amounts,
            calendar_year: parts(businessDate).year,
            review_reasons: '[]',
            maker: label,
            business_date: businessDate,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      : await tx
          .updateTable('withdrawals')
          .set({ ...amounts, checker: label, business_date: businessDate })
          .where('id', '=', input.withdrawalId)
          .returning('id')
          .executeTakeFirstOrThrow();
  const posted =
    totalFen > 0n
      ? await postWithdrawal(tx, {
          withdrawalId: row.id,
          accountId,
          accountNumber: account.accountNumber,
          book: account.pool,
          amountFen: totalFen,
          businessDate,
          memo: `销户提取 ${account.accountNumber}`,
          actorLabel: label,
        })
      : null;
  if (!posted) {
    // Nothing to pay: the closure is complete as it stands.
    await tx
      .updateTable('withdrawals')
      .set({ status: 'paid', checker: label })
      .where('id', '=', row.id)
      .execute();
  }
  await tx
    .updateTable('accounts')
    .set({ state: '05', closed_on: businessDate, state_before_freeze: null })
    .where('id', '=', accountId)
    .execute();
  const agreement = await tx
    .updateTable('agreements')
    .set({
      status: 'ended',
      ended_on: businessDate,
      ended_reason: 'closure',
      next_period_start: null,
      next_due_date: null,
    })
    .where('account_id', '=', accountId)
    .where('status', '=', 'signed')
    .returning(['bank_name', 'bank_card'])
    .executeTakeFirst();
  await tx
    .updateTable('deposit_periods')
    .set({ status: 'cancelled' })
    .where('account_id', '=', accountId)
    .where('status', 'in', ['due', 'missed'])
    .execute();
  await tx
    .updateTable('rent_orders')
    .set({ status: 'ended', ended_on: businessDate, ended_reason: 'closure' })
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .execute();

  const person = await tx
    .selectFrom('depositors')
    .select(['name', 'id_number_masked'])
    .where('id', '=', account.depositorId)
    .executeTakeFirstOrThrow();
  const content: ClosureCertificateContent = {
    withdrawalId: String(row.id),
    accountNumber: account.accountNumber,
    depositor: { name: person.name, idNumberMasked: person.id_number_masked },
    closedOn: businessDate,
    principal: fenToYuanString(principalFen),
    interest: fenToYuanString(interestFen),
    subsidy: fenToYuanString(subsidyFen),
    total: fenToYuanString(totalFen),
    bankName: agreement?.bank_name ?? '',
    bankCardMasked: maskCard(agreement?.bank_card ?? ''),
  };
  const code = verificationCode(canonicalJson(content), certificateSecret());
  await tx
    .insertInto('closure_certificates')
    .values({
      withdrawal_id: row.id,
      verification_code: code,
      content: canonicalJson(content),
      issued_on: businessDate,
      issued_by: label,
    })
    .execute();
  await recordAudit(tx, {
    actor: label,
    action: 'account.close',
    subjectType: 'account',
    subjectId: accountId,
    businessDate,
    summary: {
      withdrawalId: String(row.id),
      principal: content.principal,
      interest: content.interest,
      subsidy: content.subsidy,
      subsidyReasons: subsidy.reasons.map((r) => r.code),
      total: content.total,
      payoutId: posted ? String(posted.payoutId) : null,
      certificateSha256: createHash('sha256').update(canonicalJson(content)).digest('hex'),
    },
  });
  return {
    withdrawalId: String(row.id),
    accountId: String(accountId),
    closedOn: businessDate,
    principal: content.principal,
    interest: content.interest,
    subsidy: content.subsidy,
    total: content.total,
    payoutId: posted ? String(posted.payoutId) : null,
    requestNo: posted?.requestNo ?? null,
    verificationCode: code,
  };
}
