// Unit → flexible conversion (身份转换, rules.md §5.3): a person whose unit account is sealed (封存, left
// the job) keeps depositing as a flexible worker. Needs a signed agreement not yet bound to an account
// (prepare and sign it as for opening). In one transaction: the flexible account opens under that
// agreement (the eligibility rules of §1 apply), the unit account's balance and interest to date move
// to it as pairs of entries, its covered months carry over, the unit account ends (03), audit rows.
// Idempotent by the client key.
import { AppError } from '../../domain/errors.ts';
import { checkConversionSource } from '../../domain/conversion.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { onceByKey } from '../idempotency.ts';
import { hasOutstandingLoan } from '../loans/has-outstanding-loan.ts';
import { evaluateEligibility } from '../depositors/eligibility-facts.ts';
import { nextAccountNumber } from '../accounts/open-account.ts';
import { updatePlanPosition } from '../deposits/plan-position.ts';
import { moveBetweenPools } from './move-between-pools.ts';
import { nextConversionId, type ConversionResult } from './conversion-result.ts';
import type { Db } from '../../db/connection.ts';

export interface ConvertToFlexibleInput {
  db: Db;
  actor: Actor;
  unitAccountId: string | bigint;
  idempotencyKey: string;
}

export async function convertToFlexible(
  input: ConvertToFlexibleInput,
): Promise<ConversionResult & { replayed: boolean }> {
  const { db, actor } = input;
  const unitAccountId = BigInt(input.unitAccountId);
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  return db.transaction().execute(async (tx) => {
    const payload = { unitAccountId: String(unitAccountId) };
    const { result, replayed } = await onceByKey(
      tx,
      'conversion-to-flexible',
      input.idempotencyKey,
      payload,
      () => convert(),
    );
    return { ...result, replayed };

    async function convert(): Promise<ConversionResult> {
      const found = await tx
        .selectFrom('accounts')
        .select(['depositor_id'])
        .where('id', '=', unitAccountId)
        .executeTakeFirst();
      if (!found) throw new AppError('UNIT_ACCOUNT_NOT_FOUND', { field: 'unitAccountId' });
      // The person first (as openAccount locks it: one flexible account per person), then the account.
      const depositor = await tx
        .selectFrom('depositors')
        .selectAll()
        .where('id', '=', found.depositor_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const unit = await tx
        .selectFrom('accounts')
        .select(['id', 'account_number', 'depositor_id', 'kind', 'state'])
        .where('id', '=', unitAccountId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      checkConversionSource('to_flexible', unit);
      if (await hasOutstandingLoan(tx, depositor.id))
        throw new AppError('CONVERSION_LOAN_OUTSTANDING', { field: 'unitAccountId' });

      const today = await getBusinessDate(tx);
      const eligibility = await evaluateEligibility(
        tx,
        {
          birthDate: depositor.birth_date,
          retirementGroup: depositor.retirement_group,
          employmentForm: depositor.employment_form,
          civilCapacityDeclared: depositor.civil_capacity_declared,
          noUnitAccountElsewhereDeclared: depositor.no_unit_account_elsewhere_declared,
        },
        depositor.id,
        today,
      );
      if (!eligibility.eligible) {
        const [only, ...more] = eligibility.failures;
        if (only && more.length === 0) throw new AppError(only.code, { field: only.field });
        throw new AppError('DEPOSITOR_NOT_ELIGIBLE', {
          field: eligibility.failures[0]?.field,
          details: { failures: eligibility.failures },
        });
      }
      const agreement = await tx
        .selectFrom('agreements')
        .select(['id', 'agreement_number', 'status', 'account_id'])
        .where('depositor_id', '=', depositor.id)
        .where('status', 'in', ['draft', 'signed'])
        .forUpdate()
        .executeTakeFirst();
      if (!agreement || agreement.status !== 'signed' || agreement.account_id !== null)
        throw new AppError('CONVERSION_AGREEMENT_REQUIRED', { field: 'agreementId' });

      const label = actorLabel(actor);
      const accountNumber = await nextAccountNumber(tx, 'FLEX');
      const flexible = await tx
        .insertInto('accounts')
        .values({
          account_number: accountNumber,
          depositor_id: depositor.id,
          pool: 'FLEX',
          kind: 'flexible',
          state: '01',
          district_code: depositor.district_code,
          opened_on: today,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('agreements')
        .set({ account_id: flexible.id })
        .where('id', '=', agreement.id)
        .execute();
      await updatePlanPosition(tx, agreement.id, today);
      await recordAudit(tx, {
        actor: label,
        action: 'account.open',
        subjectType: 'account',
        subjectId: flexible.id,
        businessDate: today,
        summary: {
          accountNumber,
          depositorId: String(depositor.id),
          agreementNumber: agreement.agreement_number,
          pool: 'FLEX',
          state: { before: null, after: '01' },
          convertedFrom: unit.account_number,
        },
      });

      const conversionId = await nextConversionId(tx);
      const moved = await moveBetweenPools(tx, {
        direction: 'to_flexible',
        conversionId,
        fromAccountId: unitAccountId,
        fromAccountNumber: unit.account_number,
        toAccountId: flexible.id,
        toAccountNumber: accountNumber,
        businessDate: today,
        actorLabel: label,
      });
      await tx
        .insertInto('conversions')
        .values({
          id: conversionId,
          direction: 'to_flexible',
          depositor_id: depositor.id,
          from_account_id: unitAccountId,
          to_account_id: flexible.id,
          principal_fen: moved.principalFen,
          interest_fen: moved.interestFen,
          amount_fen: moved.amountFen,
          months_carried: moved.monthsCarried,
          agreement_id: agreement.id,
          interest_entry_id: moved.interestEntryId,
          pair_id: moved.pairId,
          settlement_pair_id: moved.settlementPairId,
          business_date: today,
          created_by: label,
        })
        .execute();
      const result: ConversionResult = {
        conversionId: String(conversionId),
        direction: 'to_flexible',
        depositorId: String(depositor.id),
        fromAccountId: String(unitAccountId),
        fromAccountNumber: unit.account_number,
        toAccountId: String(flexible.id),
        toAccountNumber: accountNumber,
        principal: fenToYuanString(moved.principalFen),
        interest: fenToYuanString(moved.interestFen),
        amount: fenToYuanString(moved.amountFen),
        monthsCarried: moved.monthsCarried,
        coveredMonthsCarried: moved.coveredMonthsCarried,
        agreementNumber: agreement.agreement_number,
        periodsCancelled: 0,
        subsidyForfeited: false,
        subsidyForfeitedAmount: '0.00',
        pairId: moved.pairId,
        settlementPairId: moved.settlementPairId,
        businessDate: today,
      };
      await recordAudit(tx, {
        actor: label,
        action: 'conversion.to_flexible',
        subjectType: 'account',
        subjectId: unitAccountId,
        businessDate: today,
        summary: { ...result, businessType: '06', state: { before: unit.state, after: '03' } },
      });
      return result;
    }
  });
}
