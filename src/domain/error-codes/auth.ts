import type { ErrorEntry } from './types.ts';

export const AUTH_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
