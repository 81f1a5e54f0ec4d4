// Loans that received more than they owed, for the over-payment refund tests (service, API, browser):
// borrowers with seven months of deposits and a disbursed loan each, and an installment over-paid the way
// it happens in practice: the due date's bank debit is taken but its result is lost, the borrower pays the
// installment at the counter the next day, and then the bank's late success arrives — applied by the
// waterfall to nothing owed, so the whole debit is held on 21909 (repayment-store.ts).
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { addDays } from '../../src/domain/dates.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import type { CreditBureau } from '../../src/integrations/credit-bureau/gateway.ts';
import { bankSecretFromEnv, signBankMessage } from '../../src/integrations/bank/signing.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { handleBankNotification } from '../../src/services/deposits/handle-bank-notification.ts';
import { collectDueInstallments } from '../../src/services/loans/collect-due-installments.ts';
import { sendLoanDebits } from '../../src/services/loans/send-loan-debits.ts';
import { repayLoan } from '../../src/services/loans/repay-loan.ts';
import { owedNow } from '../../src/services/loans/repayment-store.ts';
import { disbursedLoan, loanRequest } from './loan-payoff.ts';
import { DEPOSIT_DATES, depositEachMonth } from './monthly-deposits.ts';
import { personId } from './people.ts';

export { DEPOSIT_DATES };
import { openedDepositor, teller } from './services.ts';

const system = { type: 'system', id: 'test' } as const;

export interface LoanBorrower {
  name: string;
  idNumber: string;
  depositorId: string;
  accountId: string;
  accountNumber: string;
  card: string;
  loanId: string;
}

/** The day the loans are disbursed; their installments fall due on the 12th from 2025-06-12. */
export const DISBURSED_ON: IsoDate = '2025-05-12';

/**
 * Borrowers (each with a card of their own) with a deposit each month of DEPOSIT_DATES (monthly-deposits.ts) and a loan
 * disbursed on DISBURSED_ON. The center must have started on DEPOSIT_DATES[0].
 */
export async function borrowersWithLoans(
  db: Db,
  input: { bank: InProcessBank; bureau: CreditBureau; names: string[]; seed: number },
): Promise<LoanBorrower[]> {
  const people: LoanBorrower[] = [];
  for (const [i, name] of input.names.entries()) {
    const n = input.seed + i;
    const idNumber = personId('1989-03-03', i % 2 ? 'male' : 'female', n);
    const { person, account } = await openedDepositor(db, { idNumber, name }, 'flexible');
    const card = `62170000300000${String(n).padStart(5, '0')}`;
    await db
      .updateTable('agreements')
      .set({ bank_card: card })
      .where('account_id', '=', BigInt(account.accountId))
      .execute();
    people.push({
      name,
      idNumber,
      depositorId: person.depositorId,
      accountId: account.accountId,
      accountNumber: account.accountNumber,
      card,
      loanId: '',
    });
  }
  await depositEachMonth(db, people, `overpaid-deposit-${input.seed}`);
  await advanceBusinessDate(db, DISBURSED_ON, system);
  for (const p of people) {
    const loanId = await disbursedLoan(
      db,
      input.bank,
      input.bureau,
      loanRequest(p, { amount: '120000.00', termMonths: 60 }),
    );
    p.loanId = String(loanId);
  }
  return people;
}

export interface Overpaid {
  loanId: string;
  /** The late debit's repayment: all of it unapplied, held on 21909. */
  repaymentId: string;
  unappliedFen: bigint;
  requestNo: string;
  bankSerial: string;
}

/**
 * Over-pays every installment due on `dueDate` (the business date must not be past it): the bank takes the
 * debits but their results are lost; the next day (the business date it leaves) each borrower pays the
 * installment at the counter; then the bank's late successes arrive and are held on 21909.
 */
export async function overpayInstallmentsDue(
  db: Db,
  bank: InProcessBank,
  dueDate: IsoDate,
): Promise<Overpaid[]> {
  await advanceBusinessDate(db, dueDate, system);
  const cards = (
    await sql<{ bank_card: string }>`
      SELECT DISTINCT g.bank_card FROM loan_installments i
        JOIN loans l ON l.id = i.loan_id
        JOIN agreements g ON g.account_id = l.account_id AND g.status = 'signed'
      WHERE i.due_date = ${dueDate}::date AND i.status = 'scheduled'`.execute(db)
  ).rows.map((r) => r.bank_card);
  // The bank debits each card but its result never comes back with the batch.
  for (const card of cards) bank.setCardFault(card, { kind: 'timeout', processed: true });
  try {
    await collectDueInstallments({ db, date: dueDate, actor: system });
    await sendLoanDebits({ db, date: dueDate, bank });
  } finally {
    for (const card of cards) bank.setCardFault(card, null);
  }
  const requests = (
    await sql<{ loan_id: bigint; request_no: string; amount_fen: bigint; status: string }>`
      SELECT loan_id, request_no, amount_fen, status FROM loan_debit_requests
      WHERE requested_on = ${dueDate}::date ORDER BY id`.execute(db)
  ).rows;
  const nextDay = addDays(dueDate, 1);
  await advanceBusinessDate(db, nextDay, system);
  const overpaid: Overpaid[] = [];
  for (const r of requests) {
    if (r.status !== 'sent') throw new Error(`debit ${r.request_no} is ${r.status}, expected sent`);
    // The borrower pays the installment at the counter.
    const owed = (await owedNow(db, r.loan_id, nextDay)).reduce((s, o) => s + o.owedFen, 0n);
    await repayLoan({
      db,
      actor: teller,
      loanId: r.loan_id,
      amount: fenToYuanString(owed),
      idempotencyKey: `overpaid-counter-${r.request_no}`,
    });
    // The bank's late answer: the debit succeeded.
    const movement = bank.movements.find((m) => m.memo === `代扣 ${r.request_no}`);
    if (!movement) throw new Error(`the bank did not debit ${r.request_no}`);
    const rawBody = JSON.stringify({
      serial: movement.serial,
      kind: 'debit_result',
      requestNo: r.request_no,
      amount: fenToYuanString(r.amount_fen),
      valueDate: dueDate,
      status: 'success',
    });
    await handleBankNotification(db, { rawBody, signature: signBankMessage(rawBody, bankSecretFromEnv()) });
    const repayment = (
      await sql<{ id: bigint; unapplied_fen: bigint }>`
        SELECT p.id, p.unapplied_fen FROM loan_repayments p
        JOIN loan_debit_requests q ON q.repayment_id = p.id
        WHERE q.request_no = ${r.request_no}`.execute(db)
    ).rows[0];
    if (!repayment || repayment.unapplied_fen !== r.amount_fen) {
      throw new Error(`the late debit ${r.request_no} was not held on 21909`);
    }
    overpaid.push({
      loanId: String(r.loan_id),
      repaymentId: String(repayment.id),
      unappliedFen: BigInt(repayment.unapplied_fen),
      requestNo: r.request_no,
      bankSerial: movement.serial,
    });
  }
  return overpaid;
}
