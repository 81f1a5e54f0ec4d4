// Public reference data: districts (rules.md §13) and the code lists the screens and partners use.
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_STATES, EMPLOYMENT_FORM_LABELS } from '../../domain/eligibility.ts';
import { DEPOSIT_MODES } from '../../domain/agreement.ts';
import { RETIREMENT_GROUP_LABELS } from '../../domain/retirement.ts';

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
}
