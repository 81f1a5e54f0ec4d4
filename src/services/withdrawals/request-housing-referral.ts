// Housing-security referral (rules.md §5.1, ours): a depositor eligible for rent withdrawal asks to be
// listed for the housing-security department's public-rental (公租房) and affordable-rental (保障性租赁住房)
// queues. Checked like a rent withdrawal (months, loan, declaration, housing registry); one per person.
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { assertEligible } from '../../domain/withdrawals.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { HousingRegistry } from '../../integrations/housing/registry.ts';
import { housingOfAccount } from './housing-of-account.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { evaluateWithdrawal, lockAccountForWithdrawal } from './evaluate-withdrawal.ts';

export const REFERRAL_QUEUES = ['public_rental', 'affordable_rental'] as const;
export type ReferralQueue = (typeof REFERRAL_QUEUES)[number];

export async function requestHousingReferral(input: {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  queues: string[];
  householdSize: number;
  declaredNoHousing: boolean;
  housingRegistry?: HousingRegistry;
}) {
  const { db, actor } = input;
  const accountId = BigInt(input.accountId);
  const queues = [...new Set(input.queues)];
  if (queues.length === 0 || queues.some((q) => !(REFERRAL_QUEUES as readonly string[]).includes(q))) {
    throw new AppError('VALIDATION_FAILED', { field: 'queues' });
  }
  if (!Number.isInteger(input.householdSize) || input.householdSize < 1 || input.householdSize > 20) {
    throw new AppError('VALIDATION_FAILED', { field: 'householdSize' });
  }
  const housing = await housingOfAccount(db, actor, accountId, input.housingRegistry);
  const label = actorLabel(actor);
  return db.transaction().execute(async (tx) => {
    const businessDate = await getBusinessDate(tx);
    const account = await lockAccountForWithdrawal(tx, actor, accountId);
    const check = await evaluateWithdrawal(tx, {
      account,
      kind: 'rent',
      amountFen: 0n,
      businessDate,
      rent: {
        declaredNoHousing: input.declaredNoHousing,
        housing,
        lease: {
          landlordName: '-',
          leaseAddress: '-',
          leaseStart: businessDate,
          leaseEnd: businessDate,
          monthlyRentFen: 1n,
          contractNo: '-',
          publicRental: false,
        },
      },
    });
    // Eligibility of the person (the cap and the lease do not apply to a referral).
    const failures = check.failures.filter(
      (f) => f.code !== 'WITHDRAWAL_OVER_ANNUAL_CAP' && f.code !== 'WITHDRAWAL_OVER_RENT_PAID',
    );
    if (housing === 'unavailable') {
      throw new AppError('HOUSING_REGISTRY_UNAVAILABLE', { field: 'declaredNoHousing' });
    }
    assertEligible({ ...check, failures });
    const row = await tx
      .insertInto('housing_referrals')
      .values({
        depositor_id: account.depositorId,
        account_id: accountId,
        queues,
        household_size: input.householdSize,
        requested_on: businessDate,
        requested_by: label,
      })
      .onConflict((oc) =>
        oc
          .column('depositor_id')
          .doUpdateSet({ queues, household_size: input.householdSize, account_id: accountId }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: label,
      action: 'housing_referral.request',
      subjectType: 'housing_referral',
      subjectId: row.id,
      businessDate,
      summary: { accountId: String(accountId), queues, householdSize: input.householdSize },
    });
    return { referralId: String(row.id), accountId: String(accountId), queues, requestedOn: businessDate };
  });
}
