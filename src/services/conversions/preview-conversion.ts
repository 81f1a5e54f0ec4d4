// What a conversion (身份转换, rules.md §5.3) would do today, before the counter confirms it: the money that
// would move (balance, interest to date, their sum), the months carried, what ends with the flexible
// account (agreement, due periods, payment and rent orders) and the subsidy forfeited (§4.2), and every
// reason it would be refused now (the same checks the conversion runs). Read-only: nothing is written.
import { sql } from 'kysely';
import { AppError, errorBody, isAppError, type ErrorBody } from '../../domain/errors.ts';
import {
  checkConversionSource,
  checkConversionTarget,
  type ConversionDirection,
} from '../../domain/conversion.ts';
import { fenToYuanString, yuanToFen, type Fen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { subsidyPreview } from '../deposits/subsidy-preview.ts';
import { evaluateEligibility } from '../depositors/eligibility-facts.ts';
import { interestToDate } from '../interest/interest-to-date.ts';
import { hasOutstandingLoan } from '../loans/has-outstanding-loan.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface ConversionPreview {
  direction: ConversionDirection;
  businessDate: string;
  depositorId: string;
  from: { accountId: string; accountNumber: string; kind: string; state: string; balance: string };
  /** The unit account receiving the money; null for unit → flexible (the account opens on conversion). */
  to: {
    accountId: string;
    accountNumber: string;
    state: string;
    balance: string;
    employer: { employerId: string; code: string; name: string } | null;
  } | null;
  /** Yuan: the balance now, the interest to date credited first, and what would move (their sum). */
  principal: string;
  interest: string;
  amount: string;
  monthsCarried: number;
  coveredMonthsCarried: number;
  /** to_unit: the agreement that ends; to_flexible: the signed agreement the new account opens under. */
  agreementNumber: string | null;
  periodsCancelled: number;
  paymentOrdersCancelled: number;
  rentOrdersEnded: number;
  subsidyForfeited: boolean;
  subsidyForfeitedAmount: string;
  /** Why the conversion would be refused today; empty when it can go ahead. */
  blockers: ErrorBody[];
}

export interface PreviewConversionInput {
  db: DbOrTx;
  actor: Actor;
  direction: ConversionDirection;
  /** to_unit: the flexible account; to_flexible: the sealed unit account. */
  fromAccountId: string | bigint;
  /** to_unit only: the person's unit account. */
  unitAccountId?: string | bigint | undefined;
}

export async function previewConversion(input: PreviewConversionInput): Promise<ConversionPreview> {
  const { db, actor, direction } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const fromAccountId = BigInt(input.fromAccountId);
  const toAccountId = direction === 'to_unit' ? BigInt(input.unitAccountId ?? 0) : null;
  const blockers: ErrorBody[] = [];
  /** Runs one rule; its coded refusal becomes a blocker. Whether the rule passed. */
  const check = async (rule: () => unknown): Promise<boolean> => {
    try {
      await rule();
      return true;
    } catch (error) {
      if (!isAppError(error)) throw error;
      blockers.push(error.toBody());
      return false;
    }
  };

  const accounts = await db
    .selectFrom('accounts as a')
    .leftJoin('employers as e', 'e.id', 'a.employer_id')
    .select([
      'a.id',
      'a.account_number',
      'a.depositor_id',
      'a.kind',
      'a.state',
      'a.balance_fen',
      'e.id as employer_id',
      'e.code as employer_code',
      'e.name as employer_name',
    ])
    .where('a.id', 'in', toAccountId === null ? [fromAccountId] : [fromAccountId, toAccountId])
    .execute();
  const from = accounts.find((a) => a.id === fromAccountId);
  const to = toAccountId === null ? undefined : accounts.find((a) => a.id === toAccountId);
  if (!from)
    throw direction === 'to_unit'
      ? new AppError('ACCOUNT_NOT_FOUND', { field: 'flexibleAccountId' })
      : new AppError('UNIT_ACCOUNT_NOT_FOUND', { field: 'unitAccountId' });
  if (direction === 'to_unit' && !to)
    throw new AppError('UNIT_ACCOUNT_NOT_FOUND', { field: 'unitAccountId' });

  const today = await getBusinessDate(db);
  const sourceOpen = await check(() => checkConversionSource(direction, from));
  if (to) {
    await check(() => checkConversionTarget(to));
    if (to.depositor_id !== from.depositor_id)
      blockers.push(errorBody('CONVERSION_OTHER_PERSON', 'unitAccountId'));
  }
  if (await hasOutstandingLoan(db, from.depositor_id))
    blockers.push(
      errorBody(
        'CONVERSION_LOAN_OUTSTANDING',
        direction === 'to_unit' ? 'flexibleAccountId' : 'unitAccountId',
      ),
    );

  // An ended account has nothing left to move and no interest to date.
  let interestFen: Fen = 0n;
  if (sourceOpen)
    await check(async () => {
      interestFen = (await interestToDate(db, fromAccountId, { upTo: today })).interestFen;
    });
  const months = await sql<{ months: number; covered: number }>`
    SELECT count(*)::int AS months, (count(*) FILTER (WHERE covered))::int AS covered
    FROM account_months WHERE account_id = ${fromAccountId}`.execute(db);

  let agreementNumber: string | null = null;
  let periodsCancelled = 0;
  let paymentOrdersCancelled = 0;
  let rentOrdersEnded = 0;
  let subsidyForfeitedFen: Fen = 0n;
  if (direction === 'to_unit') {
    const agreement = await db
      .selectFrom('agreements')
      .select('agreement_number')
      .where('account_id', '=', fromAccountId)
      .where('status', '=', 'signed')
      .executeTakeFirst();
    agreementNumber = agreement?.agreement_number ?? null;
    const pending = await sql<{ periods: number; orders: number; rents: number }>`
      SELECT
        (SELECT count(*)::int FROM deposit_periods WHERE account_id = ${fromAccountId} AND status = 'due') AS periods,
        (SELECT count(*)::int FROM payment_orders WHERE account_id = ${fromAccountId} AND status = 'open') AS orders,
        (SELECT count(*)::int FROM rent_orders WHERE account_id = ${fromAccountId} AND status = 'active') AS rents`.execute(
      db,
    );
    periodsCancelled = pending.rows[0]!.periods;
    paymentOrdersCancelled = pending.rows[0]!.orders;
    rentOrdersEnded = pending.rows[0]!.rents;
    // rules.md §4.2: what a closure today would have paid is forfeited (as convert-to-unit records it).
    if (from.kind === 'flexible' && sourceOpen) {
      const subsidy = await subsidyPreview(db, actor, fromAccountId, { closureDate: today });
      subsidyForfeitedFen = subsidy.eligible ? yuanToFen(subsidy.subsidy) : 0n;
    }
  } else {
    const depositor = await db
      .selectFrom('depositors')
      .selectAll()
      .where('id', '=', from.depositor_id)
      .executeTakeFirstOrThrow();
    const eligibility = await evaluateEligibility(
      db,
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
    for (const f of eligibility.failures)
      blockers.push({ code: f.code, message_zh: f.message_zh, message_en: f.message_en, field: f.field });
    const agreement = await db
      .selectFrom('agreements')
      .select(['agreement_number', 'status', 'account_id'])
      .where('depositor_id', '=', depositor.id)
      .where('status', 'in', ['draft', 'signed'])
      .executeTakeFirst();
    if (agreement?.status === 'signed' && agreement.account_id === null)
      agreementNumber = agreement.agreement_number;
    else blockers.push(errorBody('CONVERSION_AGREEMENT_REQUIRED', 'agreementId'));
  }

  return {
    direction,
    businessDate: today,
    depositorId: String(from.depositor_id),
    from: {
      accountId: String(from.id),
      accountNumber: from.account_number,
      kind: from.kind,
      state: from.state,
      balance: fenToYuanString(from.balance_fen),
    },
    to: to
      ? {
          accountId: String(to.id),
          accountNumber: to.account_number,
          state: to.state,
          balance: fenToYuanString(to.balance_fen),
          employer:
            to.employer_id === null
              ? null
              : {
                  employerId: String(to.employer_id),
                  code: to.employer_code ?? '',
                  name: to.employer_name ?? '',
                },
        }
      : null,
    principal: fenToYuanString(from.balance_fen),
    interest: fenToYuanString(interestFen),
    amount: fenToYuanString(from.balance_fen + interestFen),
    monthsCarried: months.rows[0]!.months,
    coveredMonthsCarried: months.rows[0]!.covered,
    agreementNumber,
    periodsCancelled,
    paymentOrdersCancelled,
    rentOrdersEnded,
    subsidyForfeited: direction === 'to_unit',
    subsidyForfeitedAmount: fenToYuanString(subsidyForfeitedFen),
    blockers,
  };
}
