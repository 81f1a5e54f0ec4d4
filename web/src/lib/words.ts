// The words for a code the API returns, in both languages: [Chinese, English] by code.
import type { Lang } from './i18n.tsx';

export type Words = Record<string, [string, string]>;

/** The word for `code` in `lang`; the code itself when it has none, a dash when there is none. */
export function word(words: Words, code: string | null | undefined, lang: Lang): string {
  if (code === null || code === undefined) return '—';
  const w = words[code];
  return w ? w[lang === 'zh' ? 0 : 1] : code;
}
