import type { ErrorEntry } from './types.ts';

export const ACCOUNT_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
