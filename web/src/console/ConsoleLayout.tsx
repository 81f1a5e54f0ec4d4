// The console frame: the menu of the user's screens, the business date, who is logged in (and their
// district when limited to one), the language switch and logout. A lost session sends the user to login.
import { Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Flex, Layout, Menu, Space, Tag, Typography } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  BankOutlined,
  CalendarOutlined,
  DashboardOutlined,
  FundOutlined,
  FileSearchOutlined,
  HomeOutlined,
  ImportOutlined,
  RollbackOutlined,
  SolutionOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SwapOutlined,
  UserAddOutlined,
  WalletOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { ApiError } from '../lib/api.ts';
import { useLang } from '../lib/i18n.tsx';
import { LangSwitch } from '../lib/LangSwitch.tsx';
import { call } from './call.ts';
import { SCREENS } from './screens.ts';
import { useStaff } from './staff.tsx';
import { ROLE_WORDS, word } from './labels.ts';
import { labelOf, useReference } from './reference.ts';
import { Loading } from './Loading.tsx';

const ICONS: Record<string, React.ReactNode> = {
  dashboard: <DashboardOutlined />,
  depositors: <TeamOutlined />,
  register: <UserAddOutlined />,
  deposit: <WalletOutlined />,
  withdrawals: <SafetyCertificateOutlined />,
  loans: <HomeOutlined />,
  reconciliation: <FileSearchOutlined />,
  payouts: <RollbackOutlined />,
  referrals: <SolutionOutlined />,
  close: <CalendarOutlined />,
  liquidity: <FundOutlined />,
  transfers: <SwapOutlined />,
  parameters: <SettingOutlined />,
  audit: <AuditOutlined />,
  imports: <ImportOutlined />,
  units: <ApartmentOutlined />,
  'unit-imports': <CloudUploadOutlined />,
};

export default function ConsoleLayout() {
  const { t, lang } = useLang();
  const { user, district, logout, expire } = useStaff();
  const location = useLocation();
  const navigate = useNavigate();
  const reference = useReference();
  const [businessDate, setBusinessDate] = useState<string>();

  useEffect(() => {
    let stopped = false;
    const load = () =>
      call<{ businessDate: string }>('GET', '/calendar')
        .then((r) => {
          if (!stopped) setBusinessDate(r.businessDate);
        })
        .catch((e: unknown) => {
          if (!stopped && e instanceof ApiError && e.status === 401) expire();
        });
    void load();
    const timer = setInterval(load, 30_000);
    window.addEventListener('anju:business-date', load);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener('anju:business-date', load);
    };
  }, [expire, location.pathname]);

  if (!user) return null;
  const items = SCREENS.filter((s) => s.menu && user.roles.some((r) => s.roles.includes(r))).map((s) => ({
    key: s.key,
    icon: ICONS[s.key],
    label: <Link to={`/console/${s.path}`}>{lang === 'zh' ? s.zh : s.en}</Link>,
  }));
  const current = location.pathname.replace(/^\/console\/?/, '').split('/')[0] ?? 'dashboard';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={208}
        breakpoint="lg"
        collapsedWidth={56}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <Flex align="center" gap={8} style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>
          <BankOutlined style={{ color: '#c0392b' }} />
          <span>{t('安居公积金', 'Anju HPF')}</span>
        </Flex>
        <nav aria-label={t('主菜单', 'Main menu')}>
          <Menu mode="inline" selectedKeys={[current]} items={items} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            borderBottom: '1px solid #f0f0f0',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 16,
          }}
        >
          <Space>
            <Typography.Text type="secondary">{t('会计日期', 'Business date')}</Typography.Text>
            <Typography.Text strong data-testid="business-date">
              {businessDate ?? '…'}
            </Typography.Text>
            {district !== null && (
              <Tag color="blue">
                {t('辖区', 'District')}: {labelOf(reference.data?.districts, district, lang)}
              </Tag>
            )}
          </Space>
          <Space size="middle">
            <span>
              <Typography.Text strong>{user.displayName}</Typography.Text>{' '}
              {user.roles.map((r) => (
                <Tag key={r}>{word(ROLE_WORDS, r, lang)}</Tag>
              ))}
            </span>
            <LangSwitch />
            <Button
              icon={<LogoutOutlined />}
              onClick={() => {
                void logout().then(() => navigate('/console/login', { replace: true }));
              }}
            >
              {t('退出', 'Log out')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
