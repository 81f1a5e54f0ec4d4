// Reads a dated parameter as in force on a business date (rules.md: evaluate every rule with the
// parameter in force on the date it concerns).
import type { Decimal } from 'decimal.js';
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { parameterDefinition, parseParameterValue } from '../../domain/parameters.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function getParameterText(db: DbOrTx, key: string, onDate: IsoDate): Promise<string> {
  parameterDefinition(key);
  const row = await db
    .selectFrom('parameters')
    .select('value')
    .where('key', '=', key)
    .where('status', '=', 'approved')
    .where('effective_from', '<=', onDate)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', onDate)]))
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new AppError('PARAMETER_NOT_SET', { field: key, details: { key, onDate } });
  return row.value;
}

/**
 * The same lookup as getParameterText as a scalar subquery (the value as text, NULL when none is in
 * force), for a caller that reads it in one statement with its other reads (credit-deposit.ts);
 * `onDate` may be a date expression of that statement. Pair it with fenParameterFromText.
 */
export function parameterTextSql(
  key: string,
  onDate: IsoDate | RawBuilder<unknown>,
): RawBuilder<string | null> {
  parameterDefinition(key);
  const date = typeof onDate === 'string' ? sql`${onDate}::date` : onDate;
  return sql<string | null>`(SELECT p.value FROM parameters p
    WHERE p.key = ${key} AND p.status = 'approved' AND p.effective_from <= ${date}
      AND (p.effective_to IS NULL OR p.effective_to >= ${date})
    ORDER BY p.effective_from DESC LIMIT 1)`;
}

/** A fen parameter read by parameterTextSql: PARAMETER_NOT_SET when none was in force, as getFenParameter. */
export function fenParameterFromText(key: string, text: string | null | undefined, onDate: IsoDate): bigint {
  if (text === null || text === undefined)
    throw new AppError('PARAMETER_NOT_SET', { field: key, details: { key, onDate } });
  return parseParameterValue(key, text) as bigint;
}

export async function getFenParameter(db: DbOrTx, key: string, onDate: IsoDate): Promise<bigint> {
  return parseParameterValue(key, await getParameterText(db, key, onDate)) as bigint;
}

export async function getPercentParameter(db: DbOrTx, key: string, onDate: IsoDate): Promise<Decimal> {
  return parseParameterValue(key, await getParameterText(db, key, onDate)) as Decimal;
}

export async function getIntegerParameter(db: DbOrTx, key: string, onDate: IsoDate): Promise<number> {
  return parseParameterValue(key, await getParameterText(db, key, onDate)) as number;
}

export async function getBooleanParameter(db: DbOrTx, key: string, onDate: IsoDate): Promise<boolean> {
  return parseParameterValue(key, await getParameterText(db, key, onDate)) as boolean;
}
