// A standing monthly rent withdrawal (按月提取, rules.md §5.1): the depositor (or a teller for them) sets
// up a monthly amount paid to the bank card on a pay day, with the lease recorded; the rules are checked
// now as for a one-off rent withdrawal, and the business-day close pays each due month
// (pay-rent-orders.ts) within the yearly cap and the balance.
import { AppError } from '../../domain/errors.ts';
import { compareDates } from '../../domain/dates.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { assertEligible, assertLease, firstRentDueDate } from '../../domain/withdrawals.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import type { HousingRegistry } from '../../integrations/housing/registry.ts';
import { housingOfAccount } from './housing-of-account.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import { evaluateWithdrawal, lockAccountForWithdrawal } from './evaluate-withdrawal.ts';
import { leaseTermsOf, type LeaseInput } from './submit-withdrawal.ts';

export interface CreateRentOrderInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  monthlyAmount: string;
  payDay: number;
  declaredNoHousing: boolean;
  lease: LeaseInput;
  idempotencyKey: string;
  housingRegistry?: HousingRegistry;
}

export async function createRentOrder(input: CreateRentOrderInput) {
  const { db, actor } = input;
  const accountId = BigInt(input.accountId);
  const amountFen = positiveYuanToFen(input.monthlyAmount, 'monthlyAmount');
  if (!Number.isInteger(input.payDay) || input.payDay < 1 || input.payDay > 28) {
    throw new AppError('VALIDATION_FAILED', { field: 'payDay' });
  }
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  const lease = leaseTermsOf(input.lease);
  assertLease(lease);
  const housing = await housingOfAccount(db, actor, accountId, input.housingRegistry);
  const label = actorLabel(actor);
  const payload = {
    accountId: String(accountId),
    monthlyAmount: input.monthlyAmount,
    payDay: input.payDay,
    lease: input.lease,
  };
  const { result, replayed } = await db.transaction().execute((tx) =>
    onceByKey(tx, 'rent-order', input.idempotencyKey, payload, async () => {
      const businessDate = await getBusinessDate(tx);
      const account = await lockAccountForWithdrawal(tx, actor, accountId);
      // The person's rules are checked with the smallest payment: each month pays what the cap and the
      // balance allow then (pay-rent-orders.ts), so only a cap already used up refuses the order.
      const check = await evaluateWithdrawal(tx, {
        account,
        kind: 'rent',
        amountFen: 1n,
        businessDate,
        rent: { declaredNoHousing: input.declaredNoHousing, housing, lease },
      });
      assertEligible(check);
      if (amountFen > lease.monthlyRentFen) {
        throw new AppError('WITHDRAWAL_OVER_RENT_PAID', {
          field: 'monthlyAmount',
          details: { monthlyRent: fenToYuanString(lease.monthlyRentFen) },
        });
      }
      // A standing order is set up only on a definite registry answer (ours): no review path for it.
      if (check.reviewReasons.some((r) => r.code === 'HOUSING_REGISTRY_UNAVAILABLE')) {
        throw new AppError('HOUSING_REGISTRY_UNAVAILABLE', { field: 'declaredNoHousing' });
      }
      if (compareDates(lease.leaseEnd, businessDate) < 0) {
        throw new AppError('WITHDRAWAL_LEASE_INVALID', { field: 'leaseEnd' });
      }
      const existing = await tx
        .selectFrom('rent_orders')
        .select('id')
        .where('account_id', '=', accountId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (existing) throw new AppError('RENT_ORDER_EXISTS', { field: 'accountId' });
      const start = compareDates(lease.leaseStart, businessDate) > 0 ? lease.leaseStart : businessDate;
      const nextDueDate = firstRentDueDate(start, input.payDay);
      const row = await tx
        .insertInto('rent_orders')
        .values({
          account_id: accountId,
          depositor_id: account.depositorId,
          status: 'active',
          monthly_amount_fen: amountFen,
          pay_day: input.payDay,
          next_due_date: nextDueDate,
          public_rental: lease.publicRental,
          landlord_name: lease.landlordName,
          lease_address: lease.leaseAddress,
          lease_start: lease.leaseStart,
          lease_end: lease.leaseEnd,
          monthly_rent_fen: lease.monthlyRentFen,
          contract_no: lease.contractNo,
          created_by: label,
          created_on: businessDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor: label,
        action: 'rent_order.create',
        subjectType: 'rent_order',
        subjectId: row.id,
        businessDate,
        summary: {
          accountId: String(accountId),
          monthlyAmount: fenToYuanString(amountFen),
          payDay: input.payDay,
          nextDueDate,
          contractNo: lease.contractNo,
        },
      });
      return {
        rentOrderId: String(row.id),
        accountId: String(accountId),
        nextDueDate,
        monthlyAmount: fenToYuanString(amountFen),
      };
    }),
  );
  return { ...result, replayed };
}
