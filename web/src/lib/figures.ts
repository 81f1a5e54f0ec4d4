// The published policy figures in force on the business date (GET /reference/policy-figures): deposit
// limits, interest and subsidy rates, caps, loan rates. Loaded once per page and shared.
import { api } from './api.ts';
import { useApi, type Loaded } from './useApi.ts';

export interface PolicyFigure {
  key: string;
  zh: string;
  en: string;
  value: string | null;
  effectiveFrom: string | null;
}

export interface PolicyFigures {
  businessDate: string;
  items: PolicyFigure[];
}

let cached: Promise<PolicyFigures> | undefined;

export function loadPolicyFigures(): Promise<PolicyFigures> {
  cached ??= api<PolicyFigures>('GET', '/reference/policy-figures').catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export function usePolicyFigures(): Loaded<PolicyFigures> & { value(key: string): string | undefined } {
  const loaded = useApi(() => loadPolicyFigures(), []);
  return {
    ...loaded,
    value: (key) => loaded.data?.items.find((i) => i.key === key)?.value ?? undefined,
  };
}
