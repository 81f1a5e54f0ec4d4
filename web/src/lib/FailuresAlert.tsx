import type { ReactNode } from 'react';
import { Alert } from 'antd';
import { useLang } from './i18n.tsx';

export interface RuleFailure {
  code: string;
  message_zh: string;
  message_en: string;
}

/**
 * Not yet eligible: each rule a request fails, in the user's language with its code; `children` are
 * further list items shown first.
 */
export function FailuresAlert({
  title,
  failures,
  children,
}: {
  title: string;
  failures: readonly RuleFailure[];
  children?: ReactNode;
}) {
  const { lang } = useLang();
  return (
    <Alert
      type="warning"
      showIcon
      title={title}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {children}
          {failures.map((f) => (
            <li key={f.code}>
              {lang === 'zh' ? f.message_zh : f.message_en} <code>[{f.code}]</code>
            </li>
          ))}
        </ul>
      }
    />
  );
}
