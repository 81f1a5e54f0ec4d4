import { Segmented } from 'antd';
import { useLang } from './i18n.tsx';

/** 中文 / English. */
export function LangSwitch() {
  const { lang, setLang } = useLang();
  return (
    <Segmented
      size="small"
      value={lang}
      onChange={(value) => setLang(value === 'en' ? 'en' : 'zh')}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'EN', value: 'en' },
      ]}
      aria-label="language"
    />
  );
}
