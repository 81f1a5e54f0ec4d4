// Chinese by default, English on a switch. Texts are written where they are used, both languages side
// by side: `t('存入', 'Deposit')`. The choice is kept in localStorage and also sets antd's locale.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from './api.ts';

export type Lang = 'zh' | 'en';

interface LangContext {
  lang: Lang;
  setLang(lang: Lang): void;
  t(zh: string, en: string): string;
}

const Context = createContext<LangContext>({ lang: 'zh', setLang: () => undefined, t: (zh) => zh });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    localStorage.getItem('anju.lang') === 'en' ? 'en' : 'zh',
  );
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem('anju.lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const t = useCallback((zh: string, en: string) => (lang === 'zh' ? zh : en), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLang(): LangContext {
  return useContext(Context);
}

/** The message to show for a failure: the server's coded error in the user's language, with its field. */
export function errorMessage(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) {
    const { code, message_zh, message_en, field } = error.body;
    const message = lang === 'zh' ? message_zh : message_en;
    return `${message}${field ? (lang === 'zh' ? `（字段：${field}）` : ` (field: ${field})`) : ''} [${code}]`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
