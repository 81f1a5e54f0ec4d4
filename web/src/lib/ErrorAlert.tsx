import { Alert } from 'antd';
import { errorMessage, useLang } from './i18n.tsx';

/** A refusal from the server (or any failure) in the user's language; nothing when there is none. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { lang, t } = useLang();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={t('操作未完成', 'Not done')}
      description={errorMessage(error, lang)}
    />
  );
}
