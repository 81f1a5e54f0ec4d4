// Reference data the screens label codes with (districts, employment forms, deposit modes, account
// states), loaded once per page from the public /reference endpoints.
import { api } from '../lib/api.ts';
import { useApi } from '../lib/useApi.ts';

export interface Labeled {
  code: string;
  zh: string;
  en: string;
}

export interface Reference {
  districts: Labeled[];
  employmentForms: Labeled[];
  depositModes: Labeled[];
  accountStates: Labeled[];
  retirementGroups: Labeled[];
}

let cached: Promise<Reference> | null = null;

export function loadReference(): Promise<Reference> {
  cached ??= Promise.all([
    api<{ items: Labeled[] }>('GET', '/reference/districts'),
    api<Omit<Reference, 'districts'>>('GET', '/reference/codes'),
  ])
    .then(([d, c]) => ({ ...c, districts: d.items }))
    .catch((e: unknown) => {
      cached = null;
      throw e;
    });
  return cached;
}

export function useReference() {
  return useApi(() => loadReference(), []);
}

/** The label of a code in the user's language, or the code itself. */
export function labelOf(
  list: Labeled[] | undefined,
  code: string | null | undefined,
  lang: 'zh' | 'en',
): string {
  if (code === null || code === undefined) return '—';
  const found = list?.find((l) => l.code === code);
  return found ? found[lang] : code;
}
