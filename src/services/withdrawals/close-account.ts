// Closure by withdrawal (销户提取, rules.md §5.2): always allowed without an outstanding loan (a frozen
// account is not closed). A depositor's own request, or a staff one whose total (balance + interest to
// date + subsidy) is within the review threshold, closes at once (complete-closure.ts); a staff request
// above it waits for a second staff member (maker-checker, decide-withdrawal.ts), and the account stays
// open until then. Idempotent by the client key.
import { AppError, errorBody } from '../../domain/errors.ts';
import { parts } from '../../domain/dates.ts';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { assertEligible } from '../../domain/withdrawals.ts';
import type { EligibilityFailure } from '../../domain/eligibility.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { subsidyPreview } from '../deposits/subsidy-preview.ts';
import { onceByKey } from '../idempotency.ts';
import { interestToDate } from '../interest/interest-to-date.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import { dispatchPayouts } from '../payouts/dispatch-payouts.ts';
import { completeClosureInTx, type CompletedClosure } from './complete-closure.ts';
import { evaluateWithdrawal, lockAccountForWithdrawal } from './evaluate-withdrawal.ts';

export interface CloseAccountInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  idempotencyKey: string;
  bank?: BankGateway;
}

export type ClosedAccount = Partial<CompletedClosure> & {
  withdrawalId: string;
  accountId: string;
  status: 'closed' | 'pending_review';
  /** Why a closure waits for review (the staff review threshold); empty when it closed. */
  reviewReasons: EligibilityFailure[];
  total: string;
  replayed: boolean;
};

export async function closeAccount(input: CloseAccountInput): Promise<ClosedAccount> {
  const { db, actor } = input;
  const accountId = BigInt(input.accountId);
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  const label = actorLabel(actor);
  const outcome = await db.transaction().execute(async (tx) =>
    onceByKey(tx, 'closure', input.idempotencyKey, { accountId: String(accountId) }, async () => {
      const businessDate = await getBusinessDate(tx);
      const account = await lockAccountForWithdrawal(tx, actor, accountId);
      assertEligible(await evaluateWithdrawal(tx, { account, kind: 'closure', amountFen: 0n, businessDate }));
      const open = await tx
        .selectFrom('withdrawals')
        .select('id')
        .where('account_id', '=', accountId)
        .where('status', '=', 'pending_review')
        .executeTakeFirst();
      if (open) throw new AppError('WITHDRAWAL_CLOSURE_PENDING', { field: 'accountId' });

      if (actor.type === 'staff') {
        const threshold = await getFenParameter(tx, 'withdrawal.review_threshold_fen', businessDate);
        const { interestFen } = await interestToDate(tx, accountId, { upTo: businessDate });
        const subsidy = await subsidyPreview(tx, actor, accountId, { closureDate: businessDate });
        const totalFen = account.balanceFen + interestFen + yuanToFen(subsidy.subsidy);
        if (totalFen > threshold) {
          const body = errorBody('WITHDRAWAL_ABOVE_REVIEW_THRESHOLD');
          const reviewReasons: EligibilityFailure[] = [
            {
              code: body.code,
              field: 'amount',
              message_zh: body.message_zh,
              message_en: body.message_en,
              details: { threshold: fenToYuanString(threshold) },
            },
          ];
          // The amounts are what a closure today would pay; the approval recomputes them on its day.
          const row = await tx
            .insertInto('withdrawals')
            .values({
              account_id: accountId,
              depositor_id: account.depositorId,
              kind: 'closure',
              business_type: '12',
              reason_code: '99',
              channel: 'counter',
              status: 'pending_review',
              amount_fen: totalFen,
              interest_fen: interestFen,
              subsidy_fen: yuanToFen(subsidy.subsidy),
              calendar_year: parts(businessDate).year,
              review_reasons: JSON.stringify(reviewReasons),
              maker: label,
              business_date: businessDate,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(tx, {
            actor: label,
            action: 'withdrawal.request',
            subjectType: 'withdrawal',
            subjectId: row.id,
            businessDate,
            summary: {
              accountId: String(accountId),
              kind: 'closure',
              amount: fenToYuanString(totalFen),
              status: 'pending_review',
              reviewReasons: reviewReasons.map((r) => r.code),
            },
          });
          return {
            withdrawalId: String(row.id),
            accountId: String(accountId),
            status: 'pending_review' as const,
            reviewReasons,
            total: fenToYuanString(totalFen),
          };
        }
      }
      const closed = await completeClosureInTx(tx, { actor, label, account, businessDate });
      return { ...closed, status: 'closed' as const, reviewReasons: [] };
    }),
  );
  const result: ClosedAccount = { ...outcome.result, replayed: outcome.replayed };
  if (input.bank && result.payoutId && !outcome.replayed) {
    await dispatchPayouts({ db, bank: input.bank, payoutIds: [BigInt(result.payoutId)] });
  }
  return result;
}
