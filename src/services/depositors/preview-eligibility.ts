// The live eligibility check for the registration form: the same rule as registration, nothing written.
import { isAppError } from '../../domain/errors.ts';
import { idNumberHash } from '../../auth/pii.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { evaluateEligibility } from './eligibility-facts.ts';
import { resolvePerson, type RetirementGroup } from './register-depositor.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface PreviewEligibilityInput {
  db: DbOrTx;
  idType?: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  idNumber: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  retirementGroup?: RetirementGroup;
  employmentForm: string;
  civilCapacityDeclared: boolean;
  noUnitAccountElsewhereDeclared: boolean;
}

export async function previewEligibility(input: PreviewEligibilityInput) {
  let person;
  try {
    person = resolvePerson(input);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const body = error.toBody();
    return {
      eligible: false,
      failures: [
        { code: body.code, field: body.field, message_zh: body.message_zh, message_en: body.message_en },
      ],
    };
  }
  const today = await getBusinessDate(input.db);
  const existing = await input.db
    .selectFrom('depositors')
    .select('id')
    .where('id_number_hash', '=', idNumberHash(person.normalized))
    .executeTakeFirst();
  const result = await evaluateEligibility(
    input.db,
    {
      ...person,
      employmentForm: input.employmentForm,
      civilCapacityDeclared: input.civilCapacityDeclared,
      noUnitAccountElsewhereDeclared: input.noUnitAccountElsewhereDeclared,
    },
    existing?.id ?? null,
    today,
  );
  return {
    ...result,
    birthDate: person.birthDate,
    gender: person.gender,
    retirementGroup: person.retirementGroup,
    alreadyRegistered: !!existing,
  };
}
