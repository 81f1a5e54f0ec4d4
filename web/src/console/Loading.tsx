// Loading and empty states shared by the screens.
import { Empty, Spin } from 'antd';
import { useLang } from '../lib/i18n.tsx';

export function Loading() {
  const { t } = useLang();
  return (
    <div role="status" style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" />
      <div style={{ marginTop: 8, color: '#888' }}>{t('加载中…', 'Loading…')}</div>
    </div>
  );
}

export function Nothing({ text }: { text?: string }) {
  const { t } = useLang();
  return <Empty description={text ?? t('暂无数据', 'Nothing here')} />;
}
