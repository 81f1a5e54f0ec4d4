// The one catalog of error codes, merged from one file per area so areas can grow independently.
import { ACCOUNT_ERRORS } from './accounts.ts';
import { AUTH_ERRORS } from './auth.ts';
import { BANK_ERRORS } from './bank.ts';
import { COLLECTION_ERRORS } from './collection.ts';
import { COMMON_ERRORS } from './common.ts';
import { CONVERSION_ERRORS } from './conversions.ts';
import { DEPOSIT_ERRORS } from './deposits.ts';
import { IDENTITY_ERRORS } from './identity.ts';
import { INTEREST_ERRORS } from './interest.ts';
import { LEDGER_ERRORS } from './ledger.ts';
import { LOAN_ERRORS } from './loans.ts';
import { STATEMENT_ERRORS } from './statements.ts';
import { TRANSFER_ERRORS } from './transfers.ts';
import { WITHDRAWAL_ERRORS } from './withdrawals.ts';
import type { ErrorEntry } from './types.ts';

export type { ErrorEntry, ErrorKind } from './types.ts';

export const ERROR_CATALOG = {
  ...COMMON_ERRORS,
  ...IDENTITY_ERRORS,
  ...LEDGER_ERRORS,
  ...AUTH_ERRORS,
  ...ACCOUNT_ERRORS,
  ...COLLECTION_ERRORS,
  ...DEPOSIT_ERRORS,
  ...INTEREST_ERRORS,
  ...BANK_ERRORS,
  ...STATEMENT_ERRORS,
  ...LOAN_ERRORS,
  ...TRANSFER_ERRORS,
  ...WITHDRAWAL_ERRORS,
  ...CONVERSION_ERRORS,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
