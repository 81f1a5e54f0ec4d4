// Opens the flexible account in the FLEX pool once the agreement is signed and the person is still
// eligible (rules.md §1, §2): numbered with a check digit, linked to its agreement, audited.
import { AppError } from '../../domain/errors.ts';
import { makeAccountNumber } from '../../domain/account-number.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { evaluateEligibility } from '../depositors/eligibility-facts.ts';
import { updatePlanPosition } from '../deposits/plan-position.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

export interface OpenAccountInput {
  db: Db;
  actor: Actor;
  depositorId: string | bigint;
}

export interface OpenedAccount {
  accountId: string;
  accountNumber: string;
  pool: 'FLEX';
  state: '01';
  openedOn: string;
  agreementNumber: string;
}

export async function nextAccountNumber(tx: DbOrTx, pool: 'FLEX' | 'MANDATORY'): Promise<string> {
  const seq = await tx
    .selectNoFrom((eb) => eb.fn<string>('nextval', [eb.val('account_number_seq')]).as('n'))
    .executeTakeFirstOrThrow();
  return makeAccountNumber(pool, BigInt(seq.n));
}

export async function openAccount(input: OpenAccountInput): Promise<OpenedAccount> {
  const { db, actor } = input;
  const depositorId = BigInt(input.depositorId);
  return db.transaction().execute(async (tx) => {
    // Lock the person: two openings at once cannot both pass the one-account rule.
    const depositor = await tx
      .selectFrom('depositors')
      .selectAll()
      .where('id', '=', depositorId)
      .forUpdate()
      .executeTakeFirst();
    if (!depositor) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'depositorId' });
    if (actor.type === 'depositor' && actor.depositorId !== depositorId) throw new AppError('FORBIDDEN');
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
      depositorId,
      today,
    );
    if (!eligibility.eligible) {
      // One failed rule is reported as itself (e.g. FLEXIBLE_ACCOUNT_EXISTS); several as the list.
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
      .where('depositor_id', '=', depositorId)
      .where('status', 'in', ['draft', 'signed'])
      .forUpdate()
      .executeTakeFirst();
    if (!agreement || agreement.status !== 'signed')
      throw new AppError('AGREEMENT_NOT_SIGNED', { field: 'agreementId' });
    const accountNumber = await nextAccountNumber(tx, 'FLEX');
    const account = await tx
      .insertInto('accounts')
      .values({
        account_number: accountNumber,
        depositor_id: depositorId,
        pool: 'FLEX',
        kind: 'flexible',
        state: '01',
        district_code: depositor.district_code,
        opened_on: today,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('agreements')
      .set({ account_id: account.id })
      .where('id', '=', agreement.id)
      .execute();
    await updatePlanPosition(tx, agreement.id, today);
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'account.open',
      subjectType: 'account',
      subjectId: account.id,
      businessDate: today,
      summary: {
        accountNumber,
        depositorId: String(depositorId),
        agreementNumber: agreement.agreement_number,
        pool: 'FLEX',
        state: { before: null, after: '01' },
      },
    });
    return {
      accountId: String(account.id),
      accountNumber,
      pool: 'FLEX',
      state: '01',
      openedOn: today,
      agreementNumber: agreement.agreement_number,
    };
  });
}
