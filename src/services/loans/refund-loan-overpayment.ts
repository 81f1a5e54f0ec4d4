// Refunding a loan over-payment (rules.md §6.5; ours): money a loan received beyond what it owed (a bank
// debit result that arrived after the installment was paid at the counter) is held on 21909. Finance staff
// (or a manager) pay it back to the borrower's bank card through the payout outbox, like a withdrawal:
// Dr 21909 / Cr 21903 with the refund row, its lines (which repayments it pays back, oldest first) and the
// payout row, in one transaction with the audit row; the payout is sent after commit (dispatch-payouts.ts)
// and settled by the bank's result (settle-payout.ts): confirmed Dr 21903 / Cr 101; refused or returned
// (退票) back on 21909, refundable again.
//
// One repayment's over-payment (repaymentId) or all of the loan's; the amount defaults to everything
// refundable. Idempotent by the client key; under the loan's row lock, so what is refunded or in flight is
// never refunded again, and a refund above what is held is refused, writing nothing.
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { PayoutStatus } from '../../db/schema.ts';
import { maskBankCard } from '../../domain/agreement.ts';
import { AppError } from '../../domain/errors.ts';
import { allocateRefund } from '../../domain/loans/overpayment.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import { dispatchPayouts } from '../payouts/dispatch-payouts.ts';
import { payoutCardOf } from '../withdrawals/post-withdrawal.ts';
import { assertStaffRole, lockLoan } from './loan-store.ts';
import { overpaymentsOf } from './overpayment-store.ts';
import { LOAN_BOOK, LOAN_OVERPAYMENTS } from './repayment-store.ts';

export interface RefundLoanOverpaymentInput {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  /** Only this repayment's over-payment; default: every repayment of the loan holding money. */
  repaymentId?: string | bigint;
  /** Yuan, two decimals; default: everything refundable. */
  amount?: string;
  idempotencyKey: string;
  /** When given, the payout is sent right after commit (else the close's payout-dispatch step sends it). */
  bank?: BankGateway;
}

export interface LoanRefundJson extends Record<string, unknown> {
  refundId: string;
  loanId: string;
  amount: string;
  status: 'posted';
  lines: Array<{ repaymentId: string; amount: string }>;
  journalEntryId: string;
  payoutId: string;
  requestNo: string;
  bankName: string;
  /** Masked. */
  bankCard: string;
  businessDate: string;
}

export interface LoanRefundResult extends LoanRefundJson {
  replayed: boolean;
  /** Where the payout stands now (after the dispatch when a bank was given). */
  payoutStatus: PayoutStatus;
}

function repaymentIdOf(value: string | bigint): bigint {
  if (!/^\d{1,19}$/.test(String(value)))
    throw new AppError('LOAN_REPAYMENT_NOT_FOUND', { field: 'repaymentId' });
  return BigInt(value);
}

export async function refundLoanOverpayment(input: RefundLoanOverpaymentInput): Promise<LoanRefundResult> {
  const { db, actor } = input;
  assertStaffRole(actor, ['finance', 'manager']);
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const requestedFen = input.amount === undefined ? null : positiveYuanToFen(input.amount, 'amount');
  const repaymentId = input.repaymentId === undefined ? null : repaymentIdOf(input.repaymentId);
  const label = actorLabel(actor);
  const payload = {
    loanId: String(input.loanId),
    repaymentId: repaymentId === null ? null : String(repaymentId),
    amount: input.amount ?? null,
  };
  const outcome = await db.transaction().execute(async (tx) =>
    onceByKey(tx, 'loan-overpayment-refund', input.idempotencyKey, payload, async () => {
      const loan = await lockLoan(tx, input.loanId);
      const all = await overpaymentsOf(tx, loan.id);
      if (repaymentId !== null) {
        const found = await sql<{ id: bigint }>`
          SELECT id FROM loan_repayments WHERE id = ${repaymentId} AND loan_id = ${loan.id}`.execute(tx);
        if (found.rows.length === 0) throw new AppError('LOAN_REPAYMENT_NOT_FOUND', { field: 'repaymentId' });
      }
      const held = repaymentId === null ? all : all.filter((o) => o.repaymentId === repaymentId);
      const heldFen = held.reduce((s, o) => s + o.refundableFen, 0n);
      if (heldFen === 0n) {
        throw new AppError('LOAN_OVERPAYMENT_NOTHING_HELD', {
          field: repaymentId === null ? 'loanId' : 'repaymentId',
          details: {
            refunded: fenToYuanString(held.reduce((s, o) => s + o.refundedFen, 0n)),
            refunding: fenToYuanString(held.reduce((s, o) => s + o.refundingFen, 0n)),
          },
        });
      }
      const amountFen = requestedFen ?? heldFen;
      if (amountFen > heldFen) {
        throw new AppError('LOAN_OVERPAYMENT_REFUND_ABOVE_HELD', {
          field: 'amount',
          details: { held: fenToYuanString(heldFen), amount: fenToYuanString(amountFen) },
        });
      }
      const lines = allocateRefund(amountFen, held);
      const card = await payoutCardOf(tx, loan.account_id);
      const businessDate = await getBusinessDate(tx);
      const refundId = (
        await sql<{ id: bigint }>`SELECT nextval('loan_overpayment_refunds_id_seq') AS id`.execute(tx)
      ).rows[0]!.id;
      const entry = await postEntry(
        tx,
        {
          book: LOAN_BOOK,
          businessDate,
          valueDate: businessDate,
          entryType: 'loan_refund',
          memo: `贷款多收款退还 ${loan.loan_number}`,
          sourceType: 'loan_refund',
          sourceId: String(refundId),
          postings: [
            { account: LOAN_OVERPAYMENTS, side: 'D', amountFen },
            { account: LEDGER.payoutsInTransit, side: 'C', amountFen },
          ],
        },
        label,
      );
      await tx
        .insertInto('loan_overpayment_refunds')
        .values({
          id: refundId,
          loan_id: loan.id,
          amount_fen: amountFen,
          status: 'posted',
          business_date: businessDate,
          journal_entry_id: entry.entryId,
          created_by: label,
        })
        .execute();
      await tx
        .insertInto('loan_overpayment_refund_lines')
        .values(
          lines.map((l) => ({
            refund_id: refundId,
            repayment_id: l.item.repaymentId,
            amount_fen: l.amountFen,
          })),
        )
        .execute();
      const payout = await tx
        .insertInto('payouts')
        .values({
          purpose: 'loan_refund',
          withdrawal_id: null,
          loan_refund_id: refundId,
          account_id: loan.account_id,
          book: LOAN_BOOK,
          amount_fen: amountFen,
          bank_name: card.bankName,
          bank_card: card.bankCard,
          value_date: businessDate,
          status: 'pending',
        })
        .returning(['id', 'request_no'])
        .executeTakeFirstOrThrow();
      const result: LoanRefundJson = {
        refundId: String(refundId),
        loanId: String(loan.id),
        amount: fenToYuanString(amountFen),
        status: 'posted',
        lines: lines.map((l) => ({
          repaymentId: String(l.item.repaymentId),
          amount: fenToYuanString(l.amountFen),
        })),
        journalEntryId: String(entry.entryId),
        payoutId: String(payout.id),
        requestNo: payout.request_no,
        bankName: card.bankName,
        bankCard: maskBankCard(card.bankCard),
        businessDate,
      };
      await recordAudit(tx, {
        actor: label,
        action: 'loan.overpayment_refund',
        subjectType: 'loan',
        subjectId: loan.id,
        businessDate,
        summary: {
          refundId: result.refundId,
          amount: result.amount,
          held: fenToYuanString(heldFen),
          lines: result.lines,
          payoutId: result.payoutId,
          requestNo: result.requestNo,
        },
      });
      return result;
    }),
  );
  if (input.bank && !outcome.replayed) {
    await dispatchPayouts({ db, bank: input.bank, payoutIds: [BigInt(outcome.result.payoutId)] });
  }
  const payout = await db
    .selectFrom('payouts')
    .select('status')
    .where('id', '=', BigInt(outcome.result.payoutId))
    .executeTakeFirstOrThrow();
  return { ...outcome.result, replayed: outcome.replayed, payoutStatus: payout.status };
}
