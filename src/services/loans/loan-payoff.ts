// What a partial prepayment and a full settlement share (rules.md §6.5): the loan must be in repayment with
// its disbursement confirmed and nothing due unpaid; the money comes from the borrower's HPF balance or a
// bank payment the staff record; the entry is Dr source / Cr 121 principal / Cr 40103 interest.
//
// Funding (both offered, the borrower chooses): 'hpf-balance' debits the borrower's own FLEX account (Dr 201
// with the member, business type 05 alongside 03 or 06), refused before posting when the balance is short;
// 'bank' is a transfer into the pool's bank account that staff record with its bank reference (Dr 101, the
// same as a counter deposit), so the entry moves no money the pool has not received.
import { AppError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { isLoanFunding, type LoanFunding } from '../../domain/loans/prepayment.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { JournalEntryDraft } from '../../domain/journal.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { lockLoan, type LoanRow } from './loan-store.ts';
import { loanPosition, type LoanPosition } from './loan-schedule-store.ts';

/** Staff who take an early payment at the counter or record the bank transfer. */
export const PAYOFF_ROLES = ['teller', 'finance', 'manager'] as const;

export function parseFunding(funding: string, bankReference: string | undefined): LoanFunding {
  if (!isLoanFunding(funding)) {
    throw new AppError('LOAN_FUNDING_INVALID', { field: 'funding', details: { value: funding } });
  }
  if (funding === 'bank' && (bankReference === undefined || !/^[\w-]{1,64}$/.test(bankReference))) {
    throw new AppError('VALIDATION_FAILED', { field: 'bankReference' });
  }
  return funding;
}

/** A disbursed loan, confirmed paid out by the bank. */
export async function assertInRepayment(tx: DbOrTx, loan: LoanRow): Promise<void> {
  if (loan.status === 'settled') {
    throw new AppError('LOAN_ALREADY_SETTLED', { field: 'loanId', details: { settledOn: loan.settled_on } });
  }
  if (loan.status !== 'disbursed') {
    throw new AppError('LOAN_NOT_REPAYING', { field: 'loanId', details: { status: loan.status } });
  }
  const confirmed = await tx
    .selectFrom('loan_disbursements')
    .select('id')
    .where('loan_id', '=', loan.id)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (!confirmed) throw new AppError('LOAN_DISBURSEMENT_NOT_CONFIRMED', { field: 'loanId' });
}

/**
 * The loan locked for an early payment, with the business date and where the loan stands: refused unless
 * it is in repayment with nothing due unpaid.
 */
export async function lockLoanForPayoff(
  tx: DbOrTx,
  loanId: string | bigint,
): Promise<{ loan: LoanRow; date: IsoDate; position: LoanPosition }> {
  const loan = await lockLoan(tx, loanId);
  await assertInRepayment(tx, loan);
  const date = await getBusinessDate(tx);
  const position = await loanPosition(tx, loan, date);
  assertNothingDue(position);
  return { loan, date, position };
}

/** Refused while an installment is overdue or due today and unpaid (the repayment flow takes those). */
export function assertNothingDue(position: LoanPosition): void {
  if (position.dueUnpaid.length > 0) {
    throw new AppError('LOAN_OVERDUE_OUTSTANDING', {
      field: 'loanId',
      details: {
        periods: position.dueUnpaid.map((r) => r.period),
        amount: fenToYuanString(position.dueUnpaid.reduce((s, r) => s + r.payment_fen, 0n)),
      },
    });
  }
}

/** Refuses an HPF-funded payment the borrower's balance cannot cover, before anything is written. */
export async function assertFunds(
  tx: DbOrTx,
  loan: LoanRow,
  funding: LoanFunding,
  totalFen: Fen,
): Promise<void> {
  if (funding !== 'hpf-balance') return;
  const account = await tx
    .selectFrom('accounts')
    .select(['balance_fen'])
    .where('id', '=', loan.account_id)
    .executeTakeFirstOrThrow();
  if (account.balance_fen < totalFen) {
    throw new AppError('LOAN_HPF_BALANCE_INSUFFICIENT', {
      field: 'funding',
      details: { balance: fenToYuanString(account.balance_fen), required: fenToYuanString(totalFen) },
    });
  }
}

export async function postPayoff(
  tx: DbOrTx,
  input: {
    loan: LoanRow;
    funding: LoanFunding;
    principalFen: Fen;
    interestFen: Fen;
    date: IsoDate;
    entryType: 'loan_prepayment' | 'loan_settlement';
    memo: string;
    sourceType: string;
    sourceId: string;
  },
  actorLabel: string,
): Promise<bigint> {
  const totalFen = input.principalFen + input.interestFen;
  const postings: JournalEntryDraft['postings'] = [
    input.funding === 'hpf-balance'
      ? { account: LEDGER.members, side: 'D', amountFen: totalFen, memberAccountId: input.loan.account_id }
      : { account: LEDGER.bank, side: 'D', amountFen: totalFen },
    { account: LEDGER.loans, side: 'C', amountFen: input.principalFen },
  ];
  if (input.interestFen > 0n) {
    postings.push({ account: LEDGER.loanInterestIncome, side: 'C', amountFen: input.interestFen });
  }
  const entry = await postEntry(
    tx,
    {
      book: 'FLEX',
      businessDate: input.date,
      valueDate: input.date,
      entryType: input.entryType,
      memo: input.memo,
      sourceType: input.sourceType,
      sourceId: input.sourceId,
      postings,
    },
    actorLabel,
  );
  return entry.entryId;
}
