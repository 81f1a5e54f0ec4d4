// A repayment taken by staff (柜面还款, rules.md §6.5): money the borrower paid into the center's bank
// account (Dr 101), applied by the waterfall — penalty, overdue interest, overdue principal (oldest first),
// then the installment due today — as business type 04 when it pays anything overdue, else 02. At most what
// is owed now (paying ahead is a prepayment, prepay-loan.ts). Idempotent by the client key; under the
// loan's row lock, so a repayment racing the close's collection of the same installment is applied once
// (whichever comes second sees it paid). Refused, writing nothing, on a settled loan, and while today's
// bank debit for the loan awaits its answer.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { onceByKey } from '../idempotency.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { repaymentSummary } from './handle-loan-debit-result.ts';
import { applyRecordedDebitResults } from './apply-recorded-debit-results.ts';
import { assertStaffRole, lockLoan } from './loan-store.ts';
import { applyRepayments, ensureWorkTables, owedNow, readAppliedPayment } from './repayment-store.ts';
import type { Db } from '../../db/connection.ts';

export interface RepayLoanInput {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  /** Yuan, two decimals. */
  amount: string;
  /** The bank reference of the money received (transfer or counter receipt). */
  bankReference?: string;
  idempotencyKey: string;
}

export interface LoanRepaymentJson extends Record<string, unknown> {
  repaymentId: string;
  loanId: string;
  businessType: string;
  amount: string;
  penalty: string;
  overdueInterest: string;
  overduePrincipal: string;
  interest: string;
  principal: string;
  lines: Array<{ component: string; period: number | null; overdue: boolean; amount: string }>;
  journalEntryId: string;
  businessDate: string;
}

export async function repayLoan(input: RepayLoanInput): Promise<LoanRepaymentJson & { replayed: boolean }> {
  const { db, actor } = input;
  assertStaffRole(actor, ['teller', 'finance', 'manager']);
  const amountFen = positiveYuanToFen(input.amount, 'amount');
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  if (input.bankReference !== undefined && !/^[\w-]{1,64}$/.test(input.bankReference)) {
    throw new AppError('VALIDATION_FAILED', { field: 'bankReference' });
  }
  return db.transaction().execute(async (tx) => {
    const payload = {
      loanId: String(input.loanId),
      amount: input.amount,
      bankReference: input.bankReference ?? null,
    };
    const { result, replayed } = await onceByKey(
      tx,
      'loan-repayment',
      input.idempotencyKey,
      payload,
      async (): Promise<LoanRepaymentJson> => {
        const loan = await lockLoan(tx, input.loanId);
        if (loan.status === 'settled') {
          throw new AppError('LOAN_ALREADY_SETTLED', {
            field: 'loanId',
            details: { settledOn: loan.settled_on },
          });
        }
        if (loan.status !== 'disbursed') {
          throw new AppError('LOAN_NOT_REPAYING', { field: 'loanId', details: { status: loan.status } });
        }
        const date = await getBusinessDate(tx);
        const inFlight = await sql<{ request_no: string }>`
          SELECT request_no FROM loan_debit_requests
          WHERE loan_id = ${loan.id} AND requested_on = ${date}::date AND status IN ('pending', 'sent')`.execute(
          tx,
        );
        if (inFlight.rows.length > 0) {
          throw new AppError('LOAN_DEBIT_IN_FLIGHT', {
            field: 'loanId',
            details: { requestNo: inFlight.rows[0]!.request_no },
          });
        }
        const label = actorLabel(actor);
        // A debit result recorded during the close and not applied yet is applied first: never paid twice.
        await applyRecordedDebitResults(tx, { date, actorLabel: label, loanId: loan.id });
        const owed = (await owedNow(tx, loan.id, date)).reduce((s, o) => s + o.owedFen, 0n);
        if (owed === 0n) throw new AppError('LOAN_REPAYMENT_NOTHING_DUE', { field: 'loanId' });
        if (amountFen > owed) {
          throw new AppError('LOAN_REPAYMENT_ABOVE_DUE', {
            field: 'amount',
            details: { owed: fenToYuanString(owed), amount: fenToYuanString(amountFen) },
          });
        }
        await ensureWorkTables(tx);
        await sql`
          INSERT INTO loan_pay (loan_id, amount_fen, channel, source_key, cutoff)
          VALUES (${loan.id}, ${amountFen}, 'counter', ${`counter:${input.idempotencyKey}`}, ${date}::date)`.execute(
          tx,
        );
        await applyRepayments(tx, { date, actorLabel: label });
        const applied = await readAppliedPayment(tx);
        await recordAudit(tx, {
          actor: label,
          action: 'loan.repayment',
          subjectType: 'loan',
          subjectId: loan.id,
          businessDate: date,
          summary: repaymentSummary(applied, { bankReference: input.bankReference ?? null }),
        });
        return {
          repaymentId: applied.repaymentId,
          loanId: applied.loanId,
          businessType: applied.businessType,
          amount: fenToYuanString(applied.amountFen),
          penalty: fenToYuanString(applied.penaltyFen),
          overdueInterest: fenToYuanString(applied.overdueInterestFen),
          overduePrincipal: fenToYuanString(applied.overduePrincipalFen),
          interest: fenToYuanString(applied.interestFen),
          principal: fenToYuanString(applied.principalFen),
          lines: applied.lines.map((l) => ({
            component: l.component,
            period: l.period,
            overdue: l.overdue,
            amount: fenToYuanString(l.amountFen),
          })),
          journalEntryId: applied.entryId,
          businessDate: date,
        };
      },
    );
    return { ...result, replayed };
  });
}
