// Gathers what the eligibility rule needs to know about a person from the database (rules.md §1),
// so registration, the live preview and account opening all ask the same questions.
import { checkEligibility, type EligibilityResult } from '../../domain/eligibility.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { getIntegerParameter } from '../parameters/get-parameter.ts';

export interface PersonFacts {
  birthDate: IsoDate;
  retirementGroup: 'male' | 'female55' | 'female50';
  employmentForm: string;
  civilCapacityDeclared: boolean;
  noUnitAccountElsewhereDeclared: boolean;
}

export async function accountFacts(db: DbOrTx, depositorId: bigint | null) {
  if (depositorId === null) return { hasActiveUnitAccount: false, hasOpenFlexibleAccount: false };
  const rows = await db
    .selectFrom('accounts')
    .select(['kind', 'state'])
    .where('depositor_id', '=', depositorId)
    .where('state', 'not in', ['03', '04', '05'])
    .execute();
  return {
    // A sealed unit account (left the job) does not block; a normal or frozen one does.
    hasActiveUnitAccount: rows.some((r) => r.kind === 'unit' && r.state !== '02'),
    hasOpenFlexibleAccount: rows.some((r) => r.kind === 'flexible'),
  };
}

export async function evaluateEligibility(
  db: DbOrTx,
  person: PersonFacts,
  depositorId: bigint | null,
  applicationDate: IsoDate,
): Promise<EligibilityResult> {
  const minAgeYears = await getIntegerParameter(db, 'eligibility.min_age_years', applicationDate);
  const facts = await accountFacts(db, depositorId);
  return checkEligibility(
    {
      birthDate: person.birthDate,
      applicationDate,
      retirementGroup: person.retirementGroup,
      civilCapacityDeclared: person.civilCapacityDeclared,
      noUnitAccountElsewhereDeclared: person.noUnitAccountElsewhereDeclared,
      employmentForm: person.employmentForm,
      ...facts,
    },
    { minAgeYears },
  );
}
