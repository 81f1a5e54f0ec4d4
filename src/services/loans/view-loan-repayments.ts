// A loan's repayment side (rules.md §6.5) as its borrower and staff see it: monthly offset, days past due and
// class as of the business date, the arrears (penalty, overdue interest and principal, installment by
// installment), what is owed now, the marks, and every repayment with how it was applied, what it brought
// beyond what was owed (held on 21909) and what of that is refunded; the over-payment totals, the card a
// refund goes to and each refund with its payout. Part of the loan view (view-loan.ts); a depositor sees
// only their own loan.
import { sql } from 'kysely';
import { maskBankCard } from '../../domain/agreement.ts';
import { isAppError } from '../../domain/errors.ts';
import type { OverpaymentRefundStatus } from '../../domain/loans/overpayment.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { daysPastDue, riskClassOf, type RiskClass } from '../../domain/loans/repayment.ts';
import type { Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { LoanRefundStatus, PayoutStatus } from '../../db/schema.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { payoutCardOf } from '../withdrawals/post-withdrawal.ts';
import { assertLoanReader, readLoan } from './loan-store.ts';
import { overpaymentsOf, refundsOf } from './overpayment-store.ts';
import { owedNow } from './repayment-store.ts';

export interface LoanRepaymentView extends Record<string, unknown> {
  balanceOffset: boolean;
  daysPastDue: number;
  riskClass: RiskClass;
  arrears: {
    penalty: string;
    overdueInterest: string;
    overduePrincipal: string;
    total: string;
    installments: Array<{
      period: number;
      dueDate: string;
      overdueSince: string;
      interest: string;
      principal: string;
    }>;
  };
  owedNow: string;
  principalRepaid: string;
  outstandingPrincipal: string;
  missedInstallments: number;
  maxConsecutiveMissed: number;
  collateralEnforcementSince: string | null;
  defaulterListedOn: string | null;
  repayments: Array<{
    repaymentId: string;
    businessDate: string;
    channel: string;
    businessType: string;
    amount: string;
    penalty: string;
    overdueInterest: string;
    overduePrincipal: string;
    interest: string;
    principal: string;
    /** Received beyond what the loan owed: held on 21909 for refund. */
    unapplied: string;
    /** Of it: paid back (the bank confirmed), with the bank now, and still refundable. */
    refunded: string;
    refunding: string;
    refundable: string;
    refundStatus: OverpaymentRefundStatus;
    lines: Array<{ component: string; period: number | null; overdue: boolean; amount: string }>;
  }>;
  /** Money received beyond what was owed, over all repayments, and its refunds. */
  overpayment: {
    unapplied: string;
    refunded: string;
    refunding: string;
    refundable: string;
    /** The card a refund is paid to (the borrower's signed agreement), masked; null when there is none. */
    card: { bankName: string; bankCard: string } | null;
    refunds: Array<{
      refundId: string;
      businessDate: string;
      amount: string;
      status: LoanRefundStatus;
      payoutId: string;
      requestNo: string;
      payoutStatus: PayoutStatus;
      bankName: string;
      bankCard: string;
      bankSerial: string | null;
      returnedOn: string | null;
      returnReason: string | null;
      repaymentIds: string[];
    }>;
  };
}

/** The card a refund would go to, masked, or null (no signed agreement with a card). */
async function refundCard(
  db: DbOrTx,
  accountId: bigint,
): Promise<{ bankName: string; bankCard: string } | null> {
  try {
    const card = await payoutCardOf(db, accountId);
    return { bankName: card.bankName, bankCard: maskBankCard(card.bankCard) };
  } catch (error) {
    if (isAppError(error) && error.code === 'WITHDRAWAL_NO_BANK_CARD') return null;
    throw error;
  }
}

/** The repayment part of a loan's view; the caller has checked the reader. */
export async function loanRepaymentView(db: DbOrTx, loanId: bigint): Promise<LoanRepaymentView> {
  const date = await getBusinessDate(db);
  const loan = (
    await sql<{
      account_id: bigint;
      balance_offset: boolean;
      penalty: bigint;
      missed_installments: number;
      max_consecutive_missed: number;
      enforcement_flagged_on: string | null;
      listed_on: string | null;
    }>`
      SELECT l.account_id, l.balance_offset, l.penalty_accrued_fen - l.penalty_paid_fen AS penalty, l.missed_installments,
        l.max_consecutive_missed, l.enforcement_flagged_on, f.listed_on
      FROM loans l LEFT JOIN loan_defaulters f ON f.loan_id = l.id WHERE l.id = ${loanId}`.execute(db)
  ).rows[0]!;
  const installments = (
    await sql<{
      period: number;
      due_date: string;
      overdue_on: string | null;
      status: string;
      interest_left: bigint;
      principal_left: bigint;
      principal_paid_fen: bigint;
    }>`
      SELECT period, due_date, overdue_on, status, interest_fen - interest_paid_fen AS interest_left,
        principal_fen - principal_paid_fen AS principal_left, principal_paid_fen
      FROM loan_installments WHERE loan_id = ${loanId} ORDER BY period`.execute(db)
  ).rows;
  const overdue = installments.filter((i) => i.status === 'overdue');
  const oi = overdue.reduce((s, i) => s + BigInt(i.interest_left), 0n);
  const op = overdue.reduce((s, i) => s + BigInt(i.principal_left), 0n);
  const penalty = BigInt(loan.penalty);
  const dpd = daysPastDue(date, overdue[0]?.due_date ?? null);
  const repayments = (
    await sql<{
      id: bigint;
      business_date: string;
      channel: string;
      business_type: string;
      amount_fen: bigint;
      penalty_fen: bigint;
      overdue_interest_fen: bigint;
      overdue_principal_fen: bigint;
      interest_fen: bigint;
      principal_fen: bigint;
      unapplied_fen: bigint;
      lines: Array<{ component: string; period: number | null; overdue: boolean; amount_fen: string }>;
    }>`
      SELECT r.id, r.business_date, r.channel, r.business_type, r.amount_fen, r.penalty_fen, r.overdue_interest_fen,
        r.overdue_principal_fen, r.interest_fen, r.principal_fen, r.unapplied_fen,
        COALESCE((SELECT json_agg(json_build_object('component', x.component, 'period', x.period, 'overdue', x.overdue,
          'amount_fen', x.amount_fen::text) ORDER BY x.seq) FROM loan_repayment_lines x WHERE x.repayment_id = r.id), '[]') AS lines
      FROM loan_repayments r WHERE r.loan_id = ${loanId} ORDER BY r.id`.execute(db)
  ).rows;
  const money = (fen: bigint | string) => fenToYuanString(BigInt(fen));
  const owed = (await owedNow(db, loanId, date)).reduce((s, o) => s + o.owedFen, 0n);
  const overpayments = new Map((await overpaymentsOf(db, loanId)).map((o) => [o.repaymentId, o]));
  const refunds = await refundsOf(db, loanId);
  const total = (
    pick: (o: {
      unappliedFen: bigint;
      refundedFen: bigint;
      refundingFen: bigint;
      refundableFen: bigint;
    }) => bigint,
  ) => money([...overpayments.values()].reduce((s, o) => s + pick(o), 0n));
  return {
    balanceOffset: loan.balance_offset,
    daysPastDue: dpd,
    riskClass: riskClassOf(dpd),
    arrears: {
      penalty: money(penalty),
      overdueInterest: money(oi),
      overduePrincipal: money(op),
      total: money(penalty + oi + op),
      installments: overdue.map((i) => ({
        period: i.period,
        dueDate: i.due_date,
        overdueSince: i.overdue_on!,
        interest: money(i.interest_left),
        principal: money(i.principal_left),
      })),
    },
    owedNow: money(owed),
    principalRepaid: money(installments.reduce((s, i) => s + BigInt(i.principal_paid_fen), 0n)),
    outstandingPrincipal: money(installments.reduce((s, i) => s + BigInt(i.principal_left), 0n)),
    missedInstallments: loan.missed_installments,
    maxConsecutiveMissed: loan.max_consecutive_missed,
    collateralEnforcementSince: loan.enforcement_flagged_on,
    defaulterListedOn: loan.listed_on,
    repayments: repayments.map((r) => ({
      repaymentId: String(r.id),
      businessDate: r.business_date,
      channel: r.channel,
      businessType: r.business_type,
      amount: money(r.amount_fen),
      penalty: money(r.penalty_fen),
      overdueInterest: money(r.overdue_interest_fen),
      overduePrincipal: money(r.overdue_principal_fen),
      interest: money(r.interest_fen),
      principal: money(r.principal_fen),
      unapplied: money(r.unapplied_fen),
      refunded: money(overpayments.get(BigInt(r.id))?.refundedFen ?? 0n),
      refunding: money(overpayments.get(BigInt(r.id))?.refundingFen ?? 0n),
      refundable: money(overpayments.get(BigInt(r.id))?.refundableFen ?? 0n),
      refundStatus: overpayments.get(BigInt(r.id))?.refundStatus ?? 'none',
      lines: r.lines.map((l) => ({
        component: l.component,
        period: l.period,
        overdue: l.overdue,
        amount: money(l.amount_fen),
      })),
    })),
    overpayment: {
      unapplied: total((o) => o.unappliedFen),
      refunded: total((o) => o.refundedFen),
      refunding: total((o) => o.refundingFen),
      refundable: total((o) => o.refundableFen),
      card: await refundCard(db, BigInt(loan.account_id)),
      refunds: refunds.map((f) => ({
        refundId: String(f.refundId),
        businessDate: f.businessDate,
        amount: money(f.amountFen),
        status: f.status,
        payoutId: String(f.payoutId),
        requestNo: f.requestNo,
        payoutStatus: f.payoutStatus,
        bankName: f.bankName,
        bankCard: maskBankCard(f.bankCard),
        bankSerial: f.bankSerial,
        returnedOn: f.returnedOn,
        returnReason: f.returnReason,
        repaymentIds: f.repaymentIds.map(String),
      })),
    },
  };
}

/** The repayment view of one loan for a reader (a depositor: only their own loan, else not found). */
export async function viewLoanRepayments(input: {
  db: DbOrTx;
  actor: Actor;
  loanId: string | bigint;
}): Promise<LoanRepaymentView & { loanId: string; loanNumber: string; businessDate: string }> {
  const loan = await readLoan(input.db, input.loanId);
  assertLoanReader(input.actor, loan);
  return {
    loanId: String(loan.id),
    loanNumber: loan.loan_number,
    businessDate: await getBusinessDate(input.db),
    ...(await loanRepaymentView(input.db, loan.id)),
  };
}
