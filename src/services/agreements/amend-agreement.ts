// Changes the deposit mode, amount or debit day of a signed agreement, at most the parameter's number
// of times per HPF year (rules.md §2: once, ours), within the limits in force.
import { AppError } from '../../domain/errors.ts';
import { isDepositMode, validateDepositPlan } from '../../domain/agreement.ts';
import { hpfYearOf } from '../../domain/dates.ts';
import { positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getIntegerParameter } from '../parameters/get-parameter.ts';
import { depositLimitsOn } from './prepare-agreement.ts';
import { updatePlanPosition } from '../deposits/plan-position.ts';
import type { Db } from '../../db/connection.ts';

export interface AmendAgreementInput {
  db: Db;
  actor: Actor;
  agreementId: string | bigint;
  depositMode: string;
  monthlyAmount?: string | null;
  debitDay?: number | null;
}

export async function amendAgreement(input: AmendAgreementInput) {
  const { db, actor } = input;
  const agreementId = BigInt(input.agreementId);
  if (!isDepositMode(input.depositMode)) throw new AppError('DEPOSIT_MODE_INVALID', { field: 'depositMode' });
  const terms = {
    depositMode: input.depositMode,
    monthlyAmountFen:
      input.monthlyAmount === undefined || input.monthlyAmount === null || input.monthlyAmount === ''
        ? null
        : positiveYuanToFen(input.monthlyAmount, 'monthlyAmount'),
    debitDay: input.debitDay ?? null,
  };
  return db.transaction().execute(async (tx) => {
    const agreement = await tx
      .selectFrom('agreements')
      .selectAll()
      .where('id', '=', agreementId)
      .forUpdate()
      .executeTakeFirst();
    if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND', { field: 'agreementId' });
    if (actor.type === 'depositor' && actor.depositorId !== agreement.depositor_id)
      throw new AppError('FORBIDDEN');
    if (agreement.status === 'ended') throw new AppError('AGREEMENT_ENDED', { field: 'agreementId' });
    if (agreement.status !== 'signed') throw new AppError('AGREEMENT_NOT_SIGNED', { field: 'agreementId' });
    const today = await getBusinessDate(tx);
    validateDepositPlan(terms, await depositLimitsOn(tx, today));
    if (
      terms.depositMode === agreement.deposit_mode &&
      terms.monthlyAmountFen === agreement.monthly_amount_fen &&
      terms.debitDay === agreement.debit_day
    ) {
      throw new AppError('AMENDMENT_NO_CHANGE', { field: 'depositMode' });
    }
    const hpfYear = hpfYearOf(today);
    const allowed = await getIntegerParameter(tx, 'agreement.amendments_per_hpf_year', today);
    const used = await tx
      .selectFrom('agreement_amendments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('agreement_id', '=', agreementId)
      .where('hpf_year', '=', hpfYear)
      .executeTakeFirstOrThrow();
    if (Number(used.n) >= allowed) {
      throw new AppError('AMENDMENT_LIMIT_REACHED', { field: 'depositMode', details: { hpfYear, allowed } });
    }
    await tx
      .insertInto('agreement_amendments')
      .values({
        agreement_id: agreementId,
        hpf_year: hpfYear,
        business_date: today,
        old_deposit_mode: agreement.deposit_mode,
        new_deposit_mode: terms.depositMode,
        old_monthly_amount_fen: agreement.monthly_amount_fen,
        new_monthly_amount_fen: terms.monthlyAmountFen,
        old_debit_day: agreement.debit_day,
        new_debit_day: terms.debitDay,
        actor: actorLabel(actor),
      })
      .execute();
    await tx
      .updateTable('agreements')
      .set({
        deposit_mode: terms.depositMode,
        monthly_amount_fen: terms.monthlyAmountFen,
        debit_day: terms.debitDay,
      })
      .where('id', '=', agreementId)
      .execute();
    // Periods not yet created follow the new terms; an open period under the old terms stays due.
    await updatePlanPosition(tx, agreementId, today);
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'agreement.amend',
      subjectType: 'agreement',
      subjectId: agreementId,
      businessDate: today,
      summary: {
        hpfYear,
        depositMode: { before: agreement.deposit_mode, after: terms.depositMode },
        monthlyAmountFen: { before: agreement.monthly_amount_fen, after: terms.monthlyAmountFen },
        debitDay: { before: agreement.debit_day, after: terms.debitDay },
      },
    });
    return { agreementId: String(agreementId), hpfYear, depositMode: terms.depositMode };
  });
}
