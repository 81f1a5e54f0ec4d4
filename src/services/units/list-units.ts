// Units (employers) for the console's list: search by name (any part) or code (统一社会信用代码 / 单位编号,
// from its start), paged, each with its unit accounts counted by state and the last month it remitted.
// One statement for the page (the counts are a lateral aggregate per listed unit, no query per row);
// a district viewer sees their district's units only.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface ListUnitsInput {
  db: DbOrTx;
  actor: Actor;
  query?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface UnitListItem {
  employerId: string;
  code: string;
  name: string;
  districtCode: string | null;
  /** Unit accounts in normal state (01), sealed (02), and all of them (ended ones included). */
  normalAccounts: number;
  sealedAccounts: number;
  totalAccounts: number;
  /** The latest month remitted, YYYY-MM, or null. */
  lastRemittanceMonth: string | null;
}

export interface UnitList {
  items: UnitListItem[];
  hasMore: boolean;
  /** Units matching the search in the viewer's scope. */
  total: number;
}

export async function listUnits(input: ListUnitsInput): Promise<UnitList> {
  const { db, actor } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 200);
  const offset = Math.max(input.offset ?? 0, 0);
  const scope = districtScopeOf(actor);
  const text = input.query?.trim() ?? '';
  const like = text.replace(/[%_\\]/g, '\\$&');

  let matching = db.selectFrom('employers as e');
  if (scope !== null) matching = matching.where('e.district_code', '=', scope);
  if (text)
    matching = matching.where((eb) =>
      eb.or([eb('e.name', 'like', `%${like}%`), eb('e.code', 'like', `${like.toUpperCase()}%`)]),
    );

  const rows = await matching
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('accounts as a')
          .select([
            sql<number>`count(*) FILTER (WHERE a.state = '01')::int`.as('normal'),
            sql<number>`count(*) FILTER (WHERE a.state = '02')::int`.as('sealed'),
            sql<number>`count(*)::int`.as('all'),
          ])
          .whereRef('a.employer_id', '=', 'e.id')
          .where('a.kind', '=', 'unit')
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['e.id', 'e.code', 'e.name', 'e.district_code', 'c.normal', 'c.sealed', 'c.all'])
    .select((eb) =>
      eb
        .selectFrom('unit_remittances as r')
        .select(sql<string | null>`to_char(max(r.month), 'YYYY-MM')`.as('m'))
        .whereRef('r.employer_id', '=', 'e.id')
        .as('last_month'),
    )
    .orderBy('e.id', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  const total = await matching.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();

  return {
    items: rows.slice(0, limit).map((r) => ({
      employerId: String(r.id),
      code: r.code,
      name: r.name,
      districtCode: r.district_code,
      normalAccounts: r.normal ?? 0,
      sealedAccounts: r.sealed ?? 0,
      totalAccounts: r.all ?? 0,
      lastRemittanceMonth: r.last_month ?? null,
    })),
    hasMore: rows.length > limit,
    total: total.n,
  };
}
