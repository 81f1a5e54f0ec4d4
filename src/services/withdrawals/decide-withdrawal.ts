// Review of a withdrawal waiting in the queue (maker-checker, rules.md: 经办 / 复核): a reviewer other
// than the maker approves — the rules are checked again on the day of approval and the money moves — or
// rejects; either way with a reason. Approving one's own request is refused (WITHDRAWAL_MAKER_CHECKER).
// An approved closure is carried out on the day of approval (interest and subsidy to that day).
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { assertEligible, type LeaseTerms } from '../../domain/withdrawals.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { dispatchPayouts } from '../payouts/dispatch-payouts.ts';
import { evaluateWithdrawal, lockAccountForWithdrawal } from './evaluate-withdrawal.ts';
import { postWithdrawal } from './post-withdrawal.ts';
import { completeClosureInTx } from './complete-closure.ts';

export interface DecideWithdrawalInput {
  db: Db;
  actor: Actor;
  withdrawalId: string | bigint;
  decision: 'approve' | 'reject';
  reason: string;
  bank?: BankGateway;
}

export interface DecidedWithdrawal {
  withdrawalId: string;
  status: 'posted' | 'rejected';
  checker: string;
  payoutId: string | null;
}

export async function decideWithdrawal(input: DecideWithdrawalInput): Promise<DecidedWithdrawal> {
  const { db, actor } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  if (!input.reason.trim()) throw new AppError('WITHDRAWAL_REASON_REQUIRED', { field: 'reason' });
  const withdrawalId = BigInt(input.withdrawalId);
  const label = actorLabel(actor);
  const decided = await db.transaction().execute(async (tx) => {
    const w = await tx
      .selectFrom('withdrawals')
      .selectAll()
      .where('id', '=', withdrawalId)
      .forUpdate()
      .executeTakeFirst();
    if (!w) throw new AppError('WITHDRAWAL_NOT_FOUND', { field: 'withdrawalId' });
    if (w.status !== 'pending_review') {
      throw new AppError('WITHDRAWAL_NOT_PENDING', { field: 'withdrawalId', details: { status: w.status } });
    }
    if (w.maker === label) throw new AppError('WITHDRAWAL_MAKER_CHECKER', { field: 'withdrawalId' });
    const businessDate = await getBusinessDate(tx);
    let payoutId: bigint | null = null;
    if (input.decision === 'approve' && w.kind === 'closure') {
      const account = await lockAccountForWithdrawal(tx, actor, w.account_id);
      assertEligible(
        await evaluateWithdrawal(tx, {
          account,
          kind: 'closure',
          amountFen: 0n,
          businessDate,
          excludeWithdrawalId: withdrawalId,
        }),
      );
      const closed = await completeClosureInTx(tx, { actor, label, account, businessDate, withdrawalId });
      payoutId = closed.payoutId === null ? null : BigInt(closed.payoutId);
    } else if (input.decision === 'approve') {
      const account = await lockAccountForWithdrawal(tx, actor, w.account_id);
      const lease: LeaseTerms | null =
        w.kind === 'rent'
          ? {
              landlordName: w.landlord_name!,
              leaseAddress: w.lease_address!,
              leaseStart: w.lease_start!,
              leaseEnd: w.lease_end!,
              monthlyRentFen: w.monthly_rent_fen!,
              contractNo: w.contract_no!,
              publicRental: w.public_rental,
            }
          : null;
      // The reviewer has seen the reasons (e.g. checked the housing record by hand): the rules still hold.
      assertEligible(
        await evaluateWithdrawal(tx, {
          account,
          kind: w.kind === 'rent' ? 'rent' : 'free',
          amountFen: w.amount_fen,
          businessDate,
          excludeWithdrawalId: withdrawalId,
          ...(lease ? { rent: { declaredNoHousing: true, housing: 'no_housing' as const, lease } } : {}),
        }),
      );
      const posted = await postWithdrawal(tx, {
        withdrawalId,
        accountId: w.account_id,
        accountNumber: account.accountNumber,
        book: account.pool,
        amountFen: w.amount_fen,
        businessDate,
        memo: `${w.kind === 'rent' ? '租房提取' : '部分提取'} ${account.accountNumber}`,
        actorLabel: label,
      });
      payoutId = posted.payoutId;
    } else {
      await tx
        .updateTable('withdrawals')
        .set({ status: 'rejected' })
        .where('id', '=', withdrawalId)
        .execute();
    }
    await tx
      .updateTable('withdrawals')
      .set({ checker: label, decision_note: input.reason, decided_at: new Date() })
      .where('id', '=', withdrawalId)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: input.decision === 'approve' ? 'withdrawal.approve' : 'withdrawal.reject',
      subjectType: 'withdrawal',
      subjectId: withdrawalId,
      businessDate,
      summary: {
        maker: w.maker,
        amount: fenToYuanString(w.amount_fen),
        reason: input.reason,
        payoutId: payoutId === null ? null : String(payoutId),
      },
    });
    return {
      withdrawalId: String(withdrawalId),
      status: input.decision === 'approve' ? ('posted' as const) : ('rejected' as const),
      checker: label,
      payoutId: payoutId === null ? null : String(payoutId),
    };
  });
  if (input.bank && decided.payoutId) {
    await dispatchPayouts({ db, bank: input.bank, payoutIds: [BigInt(decided.payoutId)] });
  }
  return decided;
}
