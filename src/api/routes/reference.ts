// Public reference data: districts (rules.md §13) and the code lists the screens and partners use.
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_STATES, EMPLOYMENT_FORM_LABELS } from '../../domain/eligibility.ts';
import { DEPOSIT_MODES } from '../../domain/agreement.ts';
import { RETIREMENT_GROUP_LABELS } from '../../domain/retirement.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { listParametersInForce } from '../../services/parameters/list-parameters.ts';
import { getBusinessDate } from '../../services/calendar/business-date.ts';

/** The published figures the public page and the portal explain (limits, rates, caps); nothing internal. */
const PUBLIC_PARAMETERS = [
  'eligibility.min_age_years',
  'deposit.monthly_lower_limit_fen',
  'deposit.monthly_upper_limit_fen',
  'interest.annual_rate_pct',
  'subsidy.annual_rate_pct',
  'subsidy.lifetime_cap_fen',
  'rent.annual_cap_fen',
  'withdrawal.min_consecutive_months',
  'loan.rate.first_home_le5_pct',
  'loan.rate.first_home_gt5_pct',
  'loan.rate.second_home_le5_pct',
  'loan.rate.second_home_gt5_pct',
  'loan.cap_single_fen',
  'loan.cap_couple_fen',
];

export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/reference/districts',
    { config: { access: { public: true } }, schema: { tags: ['reference'], summary: 'Districts of Baotou' } },
    async () => {
      const rows = await app.deps.db.selectFrom('districts').selectAll().orderBy('code').execute();
      return { items: rows.map((r) => ({ code: r.code, zh: r.name_zh, en: r.name_en })) };
    },
  );
  app.get(
    '/reference/codes',
    { config: { access: { public: true } }, schema: { tags: ['reference'], summary: 'Code lists' } },
    async () => ({
      employmentForms: Object.entries(EMPLOYMENT_FORM_LABELS).map(([code, l]) => ({ code, ...l })),
      depositModes: DEPOSIT_MODES.map((m) => ({ ...m })),
      accountStates: Object.entries(ACCOUNT_STATES).map(([code, l]) => ({ code, ...l })),
      retirementGroups: Object.entries(RETIREMENT_GROUP_LABELS).map(([code, l]) => ({ code, ...l })),
    }),
  );

  app.get(
    '/reference/policy-figures',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['reference'],
        summary:
          'The published policy figures in force on the business date: deposit limits, interest and subsidy rates, caps, loan rates (fen as yuan)',
      },
    },
    async () => {
      const businessDate = await getBusinessDate(app.deps.db);
      const inForce = await listParametersInForce(app.deps.db, businessDate);
      const items = inForce
        .filter((p) => PUBLIC_PARAMETERS.includes(p.key))
        .map((p) => ({
          key: p.key.endsWith('_fen') ? p.key.slice(0, -4) : p.key,
          zh: p.zh,
          en: p.en,
          value: p.value === null ? null : p.type === 'fen' ? fenToYuanString(BigInt(p.value)) : p.value,
          effectiveFrom: p.effectiveFrom,
        }));
      return { businessDate, items };
    },
  );
}
