// What both conversion commands return (and store as their idempotent answer), and the id they use
// as the reference on their entries before the conversion row is written.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import type { ConversionDirection } from '../../domain/conversion.ts';

export interface ConversionResult extends Record<string, unknown> {
  conversionId: string;
  direction: ConversionDirection;
  depositorId: string;
  fromAccountId: string;
  fromAccountNumber: string;
  toAccountId: string;
  toAccountNumber: string;
  /** Yuan: the balance before the interest, the interest to date, and what moved (their sum). */
  principal: string;
  interest: string;
  amount: string;
  monthsCarried: number;
  coveredMonthsCarried: number;
  agreementNumber: string | null;
  periodsCancelled: number;
  subsidyForfeited: boolean;
  subsidyForfeitedAmount: string;
  pairId: string | null;
  settlementPairId: string | null;
  businessDate: string;
}

export async function nextConversionId(tx: DbOrTx): Promise<bigint> {
  const row = await sql<{ id: string }>`SELECT nextval('conversions_id_seq')::text AS id`.execute(tx);
  return BigInt(row.rows[0]!.id);
}
