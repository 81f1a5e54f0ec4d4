// Registers a flexible worker (counter or self-service): validates identity and contact data, runs the
// eligibility check of rules.md §1 (every failed rule reported), stores the person with the ID number
// protected (src/auth/pii.ts), optionally sets the portal password, and audits it, in one transaction.
import { AppError } from '../../domain/errors.ts';
import { defaultRetirementGroup } from '../../domain/retirement.ts';
import { parseForeignPermanentId, parseIdNumber } from '../../domain/identity.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { isEmploymentForm } from '../../domain/eligibility.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { encryptIdNumber, idNumberHash, maskIdNumber } from '../../auth/pii.ts';
import { assertPasswordPolicy, hashPassword } from '../../auth/passwords.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { evaluateEligibility } from './eligibility-facts.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

export type RetirementGroup = 'male' | 'female55' | 'female50';
export type EmploymentForm = 'individual_business' | 'part_time' | 'new_forms' | 'self_employed';

export interface RegisterDepositorInput {
  db: Db;
  actor: Actor;
  channel: 'counter' | 'self_service';
  idType?: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  idNumber: string;
  name: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  phone: string;
  districtCode: string;
  address?: string;
  employmentForm: string;
  occupation?: string;
  retirementGroup?: RetirementGroup;
  civilCapacityDeclared: boolean;
  noUnitAccountElsewhereDeclared: boolean;
  password?: string;
}

export interface RegisteredDepositor {
  depositorId: string;
  name: string;
  idNumberMasked: string;
  birthDate: string;
  gender: string;
  retirementGroup: RetirementGroup;
  districtCode: string;
  employmentForm: string;
}

const PHONE_PATTERN = /^1[3-9]\d{9}$/;

export interface PersonDetails {
  idType: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  normalized: string;
  birthDate: string;
  gender: 'male' | 'female';
  retirementGroup: RetirementGroup;
}

/** Validates the identity part of a registration; shared by the live eligibility preview. */
export function resolvePerson(input: {
  idType?: RegisterDepositorInput['idType'];
  idNumber: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  retirementGroup?: RetirementGroup;
}): PersonDetails {
  let details: Omit<PersonDetails, 'retirementGroup'>;
  if (input.idType === 'foreign_permanent') {
    const parsed = parseForeignPermanentId(input.idNumber);
    if (!input.birthDate || !input.gender) {
      throw new AppError('VALIDATION_FAILED', { field: input.birthDate ? 'gender' : 'birthDate' });
    }
    details = {
      idType: 'foreign_permanent',
      normalized: parsed.normalized,
      birthDate: input.birthDate,
      gender: input.gender,
    };
  } else {
    const parsed = parseIdNumber(input.idNumber);
    details = {
      idType: parsed.idType,
      normalized: parsed.normalized,
      birthDate: parsed.birthDate,
      gender: parsed.gender,
    };
  }
  const retirementGroup = input.retirementGroup ?? defaultRetirementGroup(details.gender);
  if ((details.gender === 'male') !== (retirementGroup === 'male')) {
    throw new AppError('RETIREMENT_GROUP_MISMATCH', { field: 'retirementGroup' });
  }
  return { ...details, retirementGroup };
}

export async function assertDistrict(db: DbOrTx, code: string): Promise<void> {
  const found = await db.selectFrom('districts').select('code').where('code', '=', code).executeTakeFirst();
  if (!found) throw new AppError('DISTRICT_UNKNOWN', { field: 'districtCode', details: { code } });
}

export async function registerDepositor(input: RegisterDepositorInput): Promise<RegisteredDepositor> {
  const { db, actor } = input;
  const person = resolvePerson(input);
  const name = input.name.trim();
  if (!name || name.length > 50) throw new AppError('NAME_INVALID', { field: 'name' });
  const phone = input.phone.trim();
  if (!PHONE_PATTERN.test(phone)) throw new AppError('PHONE_INVALID', { field: 'phone' });
  if (!isEmploymentForm(input.employmentForm)) {
    throw new AppError('VALIDATION_FAILED', { field: 'employmentForm' });
  }
  if (input.password !== undefined) assertPasswordPolicy(input.password);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  const hash = idNumberHash(person.normalized);

  return db.transaction().execute(async (tx) => {
    await assertDistrict(tx, input.districtCode);
    const today = await getBusinessDate(tx);
    const existing = await tx
      .selectFrom('depositors')
      .select('id')
      .where('id_number_hash', '=', hash)
      .executeTakeFirst();
    if (existing) {
      throw new AppError('DEPOSITOR_ALREADY_REGISTERED', {
        field: 'idNumber',
        details: { depositorId: String(existing.id) },
      });
    }
    const eligibility = await evaluateEligibility(
      tx,
      {
        birthDate: person.birthDate,
        retirementGroup: person.retirementGroup,
        employmentForm: input.employmentForm,
        civilCapacityDeclared: input.civilCapacityDeclared,
        noUnitAccountElsewhereDeclared: input.noUnitAccountElsewhereDeclared,
      },
      null,
      today,
    );
    if (!eligibility.eligible) {
      throw new AppError('DEPOSITOR_NOT_ELIGIBLE', {
        field: eligibility.failures[0]?.field,
        details: { failures: eligibility.failures },
      });
    }
    const row = await tx
      .insertInto('depositors')
      .values({
        id_type: person.idType,
        id_number_hash: hash,
        id_number_enc: encryptIdNumber(person.normalized),
        id_number_masked: maskIdNumber(person.normalized),
        name,
        gender: person.gender,
        birth_date: person.birthDate,
        retirement_group: person.retirementGroup,
        phone,
        district_code: input.districtCode,
        address: input.address?.trim() ?? '',
        employment_form: input.employmentForm as EmploymentForm,
        occupation: input.occupation?.trim() ?? '',
        civil_capacity_declared: input.civilCapacityDeclared,
        no_unit_account_elsewhere_declared: input.noUnitAccountElsewhereDeclared,
        password_hash: passwordHash,
        registered_channel: input.channel,
        registered_by: actorLabel(actor),
        registered_on: today,
      })
      .returning(['id', 'id_number_masked'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'depositor.register',
      subjectType: 'depositor',
      subjectId: row.id,
      businessDate: today,
      summary: {
        name,
        idNumber: row.id_number_masked,
        districtCode: input.districtCode,
        employmentForm: input.employmentForm,
        channel: input.channel,
      },
    });
    return {
      depositorId: String(row.id),
      name,
      idNumberMasked: row.id_number_masked,
      birthDate: person.birthDate,
      gender: person.gender,
      retirementGroup: person.retirementGroup,
      districtCode: input.districtCode,
      employmentForm: input.employmentForm,
    };
  });
}
