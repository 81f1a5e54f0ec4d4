// The one path of a rent or free withdrawal request (rules.md §5.1, §5.2), from the counter or the
// portal: every rule checked (a refusal writes nothing and names every failed rule), then either the money
// moves at once (Dr 201 / Cr 21903 + payout row) or the request waits for review with its reasons:
// a self-service request that meets every rule is approved automatically; a staff one above the review
// threshold waits for a second staff member (maker-checker). Idempotent by the client key.
import { AppError } from '../../domain/errors.ts';
import { parts } from '../../domain/dates.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import {
  assertEligible,
  assertLease,
  type LeaseTerms,
  type WithdrawalKind,
} from '../../domain/withdrawals.ts';
import type { EligibilityFailure } from '../../domain/eligibility.ts';
import { errorBody } from '../../domain/errors.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import type { HousingRegistry } from '../../integrations/housing/registry.ts';
import { housingOfAccount } from './housing-of-account.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';
import { onceByKey } from '../idempotency.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import { dispatchPayouts } from '../payouts/dispatch-payouts.ts';
import { evaluateWithdrawal, lockAccountForWithdrawal } from './evaluate-withdrawal.ts';
import { postWithdrawal } from './post-withdrawal.ts';

export interface LeaseInput {
  landlordName: string;
  leaseAddress: string;
  leaseStart: string;
  leaseEnd: string;
  /** Yuan string. */
  monthlyRent: string;
  contractNo: string;
  publicRental?: boolean;
}

export interface SubmitWithdrawalInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  kind: Extract<WithdrawalKind, 'rent' | 'free'>;
  /** Yuan string. */
  amount: string;
  idempotencyKey: string;
  rent?: { declaredNoHousing: boolean; lease: LeaseInput };
  housingRegistry?: HousingRegistry;
  /** When given, the payout is sent right after commit (else the close sends it). */
  bank?: BankGateway;
}

export interface SubmittedWithdrawal extends Record<string, unknown> {
  withdrawalId: string;
  accountId: string;
  kind: WithdrawalKind;
  status: 'pending_review' | 'posted';
  amount: string;
  reviewReasons: EligibilityFailure[];
  journalEntryId: string | null;
  payoutId: string | null;
  requestNo: string | null;
  replayed: boolean;
}

export function leaseTermsOf(lease: LeaseInput): LeaseTerms {
  return {
    landlordName: lease.landlordName,
    leaseAddress: lease.leaseAddress,
    leaseStart: lease.leaseStart,
    leaseEnd: lease.leaseEnd,
    monthlyRentFen: positiveYuanToFen(lease.monthlyRent, 'monthlyRent'),
    contractNo: lease.contractNo,
    publicRental: lease.publicRental ?? false,
  };
}

export async function submitWithdrawal(input: SubmitWithdrawalInput): Promise<SubmittedWithdrawal> {
  const { db, actor, kind } = input;
  const accountId = BigInt(input.accountId);
  const amountFen = positiveYuanToFen(input.amount, 'amount');
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  let lease: LeaseTerms | undefined;
  if (kind === 'rent') {
    if (!input.rent) throw new AppError('WITHDRAWAL_LEASE_INVALID', { field: 'lease' });
    lease = leaseTermsOf(input.rent.lease);
    assertLease(lease);
  }
  // The registry is asked before the transaction: no row is held while a partner answers.
  const housing =
    kind === 'rent' ? await housingOfAccount(db, actor, accountId, input.housingRegistry) : undefined;
  if (kind !== 'rent') await assertAccountVisible(db, actor, accountId);
  const label = actorLabel(actor);
  const payload = {
    accountId: String(accountId),
    kind,
    amount: input.amount,
    rent: input.rent ?? null,
  };
  const outcome = await db.transaction().execute(async (tx) =>
    onceByKey(tx, 'withdrawal', input.idempotencyKey, payload, async () => {
      const businessDate = await getBusinessDate(tx);
      const account = await lockAccountForWithdrawal(tx, actor, accountId);
      const check = await evaluateWithdrawal(tx, {
        account,
        kind,
        amountFen,
        businessDate,
        ...(lease && housing
          ? { rent: { declaredNoHousing: input.rent!.declaredNoHousing, housing, lease } }
          : {}),
      });
      assertEligible(check);
      const reviewReasons = [...check.reviewReasons];
      if (actor.type === 'staff') {
        const threshold = await getFenParameter(tx, 'withdrawal.review_threshold_fen', businessDate);
        if (amountFen > threshold) {
          const body = errorBody('WITHDRAWAL_ABOVE_REVIEW_THRESHOLD');
          reviewReasons.push({
            code: body.code,
            field: 'amount',
            message_zh: body.message_zh,
            message_en: body.message_en,
            details: { threshold: fenToYuanString(threshold) },
          });
        }
      }
      const status = reviewReasons.length > 0 ? 'pending_review' : 'posted';
      const row = await tx
        .insertInto('withdrawals')
        .values({
          account_id: accountId,
          depositor_id: account.depositorId,
          kind,
          business_type: '11',
          reason_code: kind === 'rent' ? '07' : '99',
          channel: actor.type === 'depositor' ? 'self_service' : 'counter',
          status: 'pending_review',
          amount_fen: amountFen,
          calendar_year: parts(businessDate).year,
          public_rental: lease?.publicRental ?? false,
          landlord_name: lease?.landlordName ?? null,
          lease_address: lease?.leaseAddress ?? null,
          lease_start: lease?.leaseStart ?? null,
          lease_end: lease?.leaseEnd ?? null,
          monthly_rent_fen: lease?.monthlyRentFen ?? null,
          contract_no: lease?.contractNo ?? null,
          review_reasons: JSON.stringify(reviewReasons),
          maker: label,
          business_date: businessDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const posted =
        status === 'posted'
          ? await postWithdrawal(tx, {
              withdrawalId: row.id,
              accountId,
              accountNumber: account.accountNumber,
              book: account.pool,
              amountFen,
              businessDate,
              memo: `${kind === 'rent' ? '租房提取' : '部分提取'} ${account.accountNumber}`,
              actorLabel: label,
            })
          : null;
      await recordAudit(tx, {
        actor: label,
        action: status === 'posted' ? 'withdrawal.post' : 'withdrawal.request',
        subjectType: 'withdrawal',
        subjectId: row.id,
        businessDate,
        summary: {
          accountId: String(accountId),
          kind,
          amount: fenToYuanString(amountFen),
          status,
          reviewReasons: reviewReasons.map((r) => r.code),
          contractNo: lease?.contractNo ?? null,
          payoutId: posted ? String(posted.payoutId) : null,
        },
      });
      const result: Omit<SubmittedWithdrawal, 'replayed'> = {
        withdrawalId: String(row.id),
        accountId: String(accountId),
        kind,
        status,
        amount: fenToYuanString(amountFen),
        reviewReasons,
        journalEntryId: posted ? String(posted.journalEntryId) : null,
        payoutId: posted ? String(posted.payoutId) : null,
        requestNo: posted?.requestNo ?? null,
      };
      return result;
    }),
  );
  const result = { ...outcome.result, replayed: outcome.replayed } as SubmittedWithdrawal;
  if (input.bank && result.payoutId && !outcome.replayed) {
    await dispatchPayouts({ db, bank: input.bank, payoutIds: [BigInt(result.payoutId)] });
  }
  return result;
}
