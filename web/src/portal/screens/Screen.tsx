// The frame of a portal screen: a title with a way back, loading and error states.
import type { ReactNode } from 'react';
import { Card, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';

export function Screen(props: {
  title: string;
  back?: boolean;
  loading?: boolean;
  error?: unknown;
  children?: ReactNode;
}) {
  const { t } = useLang();
  return (
    <section aria-labelledby="screen-title">
      {props.back !== false && (
        <Link to="/portal" style={{ display: 'inline-block', margin: '4px 0 8px' }}>
          ← {t('返回首页', 'Back to my account')}
        </Link>
      )}
      <Typography.Title level={2} id="screen-title" style={{ fontSize: 20, marginTop: 4 }}>
        {props.title}
      </Typography.Title>
      <ErrorAlert error={props.error} />
      {props.loading ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        props.children
      )}
    </section>
  );
}
