// Reads a dated parameter as in force on a business date (rules.md: evaluate every rule with the
// parameter in force on the date it concerns).
import type { Decimal } from 'decimal.js';
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
