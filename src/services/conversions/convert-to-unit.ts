// Flexible → unit conversion (身份转换, rules.md §5.3): the person started a job whose unit deposits
// for them here. In one transaction: the flexible account's balance and interest to date move to the
// unit account (MANDATORY) as pairs of entries, its covered months carry over, the agreement ends with
// its pending periods cancelled, the deposit subsidy is forfeited (§4.2, recorded), the flexible
// account ends (03), and an audit row. Idempotent by the client key.
import { AppError } from '../../domain/errors.ts';
import { checkConversionSource, checkConversionTarget } from '../../domain/conversion.ts';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import { hasOutstandingLoan } from '../loans/has-outstanding-loan.ts';
import { subsidyPreview } from '../deposits/subsidy-preview.ts';
import { moveBetweenPools } from './move-between-pools.ts';
import { nextConversionId, type ConversionResult } from './conversion-result.ts';
import type { Db } from '../../db/connection.ts';

export interface ConvertToUnitInput {
  db: Db;
  actor: Actor;
  flexibleAccountId: string | bigint;
  unitAccountId: string | bigint;
  idempotencyKey: string;
}

export async function convertToUnit(
  input: ConvertToUnitInput,
): Promise<ConversionResult & { replayed: boolean }> {
  const { db, actor } = input;
  const flexibleAccountId = BigInt(input.flexibleAccountId);
  const unitAccountId = BigInt(input.unitAccountId);
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  return db.transaction().execute(async (tx) => {
    const payload = { flexibleAccountId: String(flexibleAccountId), unitAccountId: String(unitAccountId) };
    const { result, replayed } = await onceByKey(
      tx,
      'conversion-to-unit',
      input.idempotencyKey,
      payload,
      () => convert(),
    );
    return { ...result, replayed };

    async function convert(): Promise<ConversionResult> {
      // Both accounts locked in id order, the order postEntry locks members in.
      const rows = await tx
        .selectFrom('accounts')
        .select(['id', 'account_number', 'depositor_id', 'kind', 'state'])
        .where('id', 'in', [flexibleAccountId, unitAccountId])
        .orderBy('id')
        .forUpdate()
        .execute();
      const flexible = rows.find((r) => r.id === flexibleAccountId);
      const unit = rows.find((r) => r.id === unitAccountId);
      if (!flexible) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'flexibleAccountId' });
      if (!unit) throw new AppError('UNIT_ACCOUNT_NOT_FOUND', { field: 'unitAccountId' });
      checkConversionSource('to_unit', flexible);
      checkConversionTarget(unit);
      if (unit.depositor_id !== flexible.depositor_id)
        throw new AppError('CONVERSION_OTHER_PERSON', { field: 'unitAccountId' });
      if (await hasOutstandingLoan(tx, flexible.depositor_id))
        throw new AppError('CONVERSION_LOAN_OUTSTANDING', { field: 'flexibleAccountId' });

      const today = await getBusinessDate(tx);
      const label = actorLabel(actor);
      // rules.md §4.2: a converted account is used, so no subsidy; record what a closure today would have paid.
      const subsidy = await subsidyPreview(tx, actor, flexibleAccountId, { closureDate: today });
      const forfeitedFen = subsidy.eligible ? yuanToFen(subsidy.subsidy) : 0n;

      // rules.md §2: the agreement ends on conversion; the periodic plan stops with it.
      const agreement = await tx
        .selectFrom('agreements')
        .select(['id', 'agreement_number'])
        .where('account_id', '=', flexibleAccountId)
        .where('status', '=', 'signed')
        .forUpdate()
        .executeTakeFirst();
      if (agreement) {
        await tx
          .updateTable('agreements')
          .set({
            status: 'ended',
            ended_on: today,
            ended_reason: 'conversion_to_unit',
            next_period_start: null,
            next_due_date: null,
          })
          .where('id', '=', agreement.id)
          .execute();
      }
      const cancelled = await tx
        .updateTable('deposit_periods')
        .set({ status: 'cancelled' })
        .where('account_id', '=', flexibleAccountId)
        .where('status', '=', 'due')
        .executeTakeFirst();
      await tx
        .updateTable('payment_orders')
        .set({ status: 'cancelled' })
        .where('account_id', '=', flexibleAccountId)
        .where('status', '=', 'open')
        .execute();
      await tx
        .updateTable('rent_orders')
        .set({ status: 'ended', ended_on: today, ended_reason: 'conversion_to_unit' })
        .where('account_id', '=', flexibleAccountId)
        .where('status', '=', 'active')
        .execute();

      const conversionId = await nextConversionId(tx);
      const moved = await moveBetweenPools(tx, {
        direction: 'to_unit',
        conversionId,
        fromAccountId: flexibleAccountId,
        fromAccountNumber: flexible.account_number,
        toAccountId: unitAccountId,
        toAccountNumber: unit.account_number,
        businessDate: today,
        actorLabel: label,
      });
      const periodsCancelled = Number(cancelled.numUpdatedRows);
      await tx
        .insertInto('conversions')
        .values({
          id: conversionId,
          direction: 'to_unit',
          depositor_id: flexible.depositor_id,
          from_account_id: flexibleAccountId,
          to_account_id: unitAccountId,
          principal_fen: moved.principalFen,
          interest_fen: moved.interestFen,
          amount_fen: moved.amountFen,
          months_carried: moved.monthsCarried,
          agreement_id: agreement?.id ?? null,
          periods_cancelled: periodsCancelled,
          subsidy_forfeited: true,
          subsidy_forfeited_fen: forfeitedFen,
          interest_entry_id: moved.interestEntryId,
          pair_id: moved.pairId,
          settlement_pair_id: moved.settlementPairId,
          business_date: today,
          created_by: label,
        })
        .execute();
      const result: ConversionResult = {
        conversionId: String(conversionId),
        direction: 'to_unit',
        depositorId: String(flexible.depositor_id),
        fromAccountId: String(flexibleAccountId),
        fromAccountNumber: flexible.account_number,
        toAccountId: String(unitAccountId),
        toAccountNumber: unit.account_number,
        principal: fenToYuanString(moved.principalFen),
        interest: fenToYuanString(moved.interestFen),
        amount: fenToYuanString(moved.amountFen),
        monthsCarried: moved.monthsCarried,
        coveredMonthsCarried: moved.coveredMonthsCarried,
        agreementNumber: agreement?.agreement_number ?? null,
        periodsCancelled,
        subsidyForfeited: true,
        subsidyForfeitedAmount: fenToYuanString(forfeitedFen),
        pairId: moved.pairId,
        settlementPairId: moved.settlementPairId,
        businessDate: today,
      };
      await recordAudit(tx, {
        actor: label,
        action: 'conversion.to_unit',
        subjectType: 'account',
        subjectId: flexibleAccountId,
        businessDate: today,
        summary: {
          ...result,
          businessType: '06',
          state: { before: flexible.state, after: '03' },
        },
      });
      return result;
    }
  });
}
