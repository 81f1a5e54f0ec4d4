import type { ErrorEntry } from './types.ts';

export const IDENTITY_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
