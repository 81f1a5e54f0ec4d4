// Read models for staff and the depositor: a depositor's profile with accounts and agreement, and a
// search. ID numbers are masked unless the viewer's role needs them (rules.md §11); a district viewer
// sees only their district.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { maskBankCard } from '../../domain/agreement.ts';
import { districtScopeOf, hasRole, type Actor } from '../../domain/roles.ts';
import { decryptIdNumber, idNumberHash } from '../../auth/pii.ts';
import { parseIdNumber } from '../../domain/identity.ts';
import type { DbOrTx } from '../../db/connection.ts';

/** Roles that serve people face to face and so see full ID numbers. */
export function canSeeFullIdNumber(actor: Actor): boolean {
  return hasRole(actor, 'teller', 'reviewer', 'manager', 'admin');
}

export async function getDepositor(db: DbOrTx, actor: Actor, depositorId: string | bigint) {
  const id = BigInt(depositorId);
  const d = await db.selectFrom('depositors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'depositorId' });
  if (actor.type === 'depositor' && actor.depositorId !== id)
    throw new AppError('FORBIDDEN', { field: 'depositorId' });
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== d.district_code) throw new AppError('FORBIDDEN', { field: 'depositorId' });
  const accounts = await db
    .selectFrom('accounts')
    .selectAll()
    .where('depositor_id', '=', id)
    .orderBy('id')
    .execute();
  const agreements = await db
    .selectFrom('agreements')
    .innerJoin('terms_versions', 'terms_versions.id', 'agreements.terms_version_id')
    .select([
      'agreements.id',
      'agreements.agreement_number',
      'agreements.status',
      'agreements.deposit_mode',
      'agreements.monthly_amount_fen',
      'agreements.debit_day',
      'agreements.bank_name',
      'agreements.bank_card',
      'agreements.signed_at',
      'agreements.signed_text_sha256',
      'agreements.account_id',
      'terms_versions.version',
    ])
    .where('agreements.depositor_id', '=', id)
    .orderBy('agreements.id', 'desc')
    .execute();
  return {
    depositorId: String(d.id),
    name: d.name,
    idType: d.id_type,
    idNumber: canSeeFullIdNumber(actor) ? decryptIdNumber(d.id_number_enc) : d.id_number_masked,
    idNumberMasked: d.id_number_masked,
    gender: d.gender,
    birthDate: d.birth_date,
    retirementGroup: d.retirement_group,
    phone:
      actor.type === 'staff' && !canSeeFullIdNumber(actor)
        ? `${d.phone.slice(0, 3)}****${d.phone.slice(-4)}`
        : d.phone,
    districtCode: d.district_code,
    address: d.address,
    employmentForm: d.employment_form,
    occupation: d.occupation,
    flexibleVerified: d.flexible_verified,
    flexibleVerifiedSource: d.flexible_verified_source,
    registeredOn: d.registered_on,
    registeredChannel: d.registered_channel,
    accounts: accounts.map((a) => ({
      accountId: String(a.id),
      accountNumber: a.account_number,
      pool: a.pool,
      kind: a.kind,
      state: a.state,
      balance: fenToYuanString(a.balance_fen),
      openedOn: a.opened_on,
      closedOn: a.closed_on,
      freezeReason: a.freeze_reason,
      freezeDocumentNo: a.freeze_document_no,
    })),
    agreements: agreements.map((g) => ({
      agreementId: String(g.id),
      agreementNumber: g.agreement_number,
      status: g.status,
      termsVersion: g.version,
      depositMode: g.deposit_mode,
      monthlyAmount: g.monthly_amount_fen === null ? null : fenToYuanString(g.monthly_amount_fen),
      debitDay: g.debit_day,
      bankName: g.bank_name,
      bankCard: maskBankCard(g.bank_card),
      signedAt: g.signed_at ? g.signed_at.toISOString() : null,
      textSha256: g.signed_text_sha256,
      accountId: g.account_id === null ? null : String(g.account_id),
    })),
  };
}

export interface SearchDepositorsInput {
  db: DbOrTx;
  actor: Actor;
  query?: string;
  districtCode?: string;
  employmentForm?: string;
  limit?: number;
  offset?: number;
}

/** Search by name (prefix), full ID number, or account number; filtered by district and form. */
export async function searchDepositors(input: SearchDepositorsInput) {
  const { db, actor } = input;
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 200);
  const offset = Math.max(input.offset ?? 0, 0);
  const scope = districtScopeOf(actor);
  if (scope !== null && input.districtCode && input.districtCode !== scope) {
    throw new AppError('FORBIDDEN', { field: 'districtCode' });
  }
  let q = db
    .selectFrom('depositors as d')
    .leftJoin('accounts as a', (join) =>
      join.onRef('a.depositor_id', '=', 'd.id').on('a.kind', '=', 'flexible'),
    )
    .select([
      'd.id',
      'd.name',
      'd.id_number_masked',
      'd.district_code',
      'd.employment_form',
      'd.flexible_verified',
      'a.account_number',
      'a.state',
      'a.balance_fen',
    ]);
  const district = scope ?? input.districtCode;
  if (district) q = q.where('d.district_code', '=', district);
  if (input.employmentForm) q = q.where('d.employment_form', '=', input.employmentForm as 'new_forms');
  const text = input.query?.trim();
  if (text) {
    let hash: string | null = null;
    try {
      hash = idNumberHash(parseIdNumber(text).normalized);
    } catch {
      hash = null;
    }
    q = q.where((eb) =>
      eb.or([
        eb('d.name', 'like', `${text.replace(/[%_\\]/g, '\\$&')}%`),
        eb('a.account_number', '=', text),
        ...(hash ? [eb('d.id_number_hash', '=', hash)] : []),
      ]),
    );
  }
  const rows = await q
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  const total = await db
    .selectFrom('depositors')
    .select(sql<string>`count(*)`.as('n'))
    .$if(!!district, (qb) => qb.where('district_code', '=', district!))
    .executeTakeFirstOrThrow();
  return {
    items: rows.slice(0, limit).map((r) => ({
      depositorId: String(r.id),
      name: r.name,
      idNumberMasked: r.id_number_masked,
      districtCode: r.district_code,
      employmentForm: r.employment_form,
      flexibleVerified: r.flexible_verified,
      accountNumber: r.account_number,
      accountState: r.state,
      balance: r.balance_fen === null ? null : fenToYuanString(r.balance_fen),
    })),
    hasMore: rows.length > limit,
    totalInScope: Number(total.n),
  };
}
