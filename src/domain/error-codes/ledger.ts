import type { ErrorEntry } from './types.ts';

export const LEDGER_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
