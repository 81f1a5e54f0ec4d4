// The depositor portal, mobile first (works at 390 px): register, log in with a one-time code, sign the
// agreement, pay, see the balance and statement, withdraw (and see or stop a standing monthly rent order),
// loans, certificates, transfers between cities. Each screen is its own chunk (React.lazy) so the first
// load stays small.
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Button, ConfigProvider, Spin, Typography } from 'antd';
import { LangSwitch } from '../lib/LangSwitch.tsx';
import { useLang } from '../lib/i18n.tsx';
import { api } from '../lib/api.ts';
import { clearSession, getSession } from '../lib/session.ts';

const Login = lazy(() => import('./screens/Login.tsx'));
const Register = lazy(() => import('./screens/Register.tsx'));
const Home = lazy(() => import('./screens/Home.tsx'));
const Agreement = lazy(() => import('./screens/Agreement.tsx'));
const Pay = lazy(() => import('./screens/Pay.tsx'));
const Statement = lazy(() => import('./screens/Statement.tsx'));
const Withdraw = lazy(() => import('./screens/Withdraw.tsx'));
const RentOrders = lazy(() => import('./screens/RentOrders.tsx'));
const Loans = lazy(() => import('./screens/Loans.tsx'));
const Certificates = lazy(() => import('./screens/Certificates.tsx'));
const Transfers = lazy(() => import('./screens/Transfers.tsx'));

function RequireLogin({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (!getSession('depositor'))
    return <Navigate to="/portal/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

function Header() {
  const { t } = useLang();
  const navigate = useNavigate();
  const session = getSession('depositor');
  const logout = async () => {
    await api('POST', '/auth/logout', { as: 'depositor' }).catch(() => undefined);
    clearSession('depositor');
    navigate('/portal/login');
  };
  return (
    <header
      style={{
        background: '#c0392b',
        color: '#fff',
        padding: '10px 16px',
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      <Link to={session ? '/portal' : '/'} style={{ color: '#fff', fontWeight: 600, fontSize: 16, flex: 1 }}>
        {t('安居 · 缴存人', 'Anju · Depositor')}
      </Link>
      <LangSwitch />
      {session && (
        <Button size="small" onClick={logout}>
          {t('退出', 'Log out')}
        </Button>
      )}
    </header>
  );
}

export default function PortalApp() {
  const { t } = useLang();
  const guarded = (node: ReactNode) => <RequireLogin>{node}</RequireLogin>;
  return (
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <div style={{ minHeight: '100vh', background: '#f5f5f5' }}>
        <Header />
        <main style={{ maxWidth: 720, margin: '0 auto', padding: 12 }}>
          <Suspense
            fallback={
              <div style={{ textAlign: 'center', padding: 48 }}>
                <Spin aria-label={t('加载中', 'Loading')} />
              </div>
            }
          >
            <Routes>
              <Route path="login" element={<Login />} />
              <Route path="register" element={<Register />} />
              <Route index element={guarded(<Home />)} />
              <Route path="agreement" element={guarded(<Agreement />)} />
              <Route path="pay" element={guarded(<Pay />)} />
              <Route path="statement" element={guarded(<Statement />)} />
              <Route path="withdraw" element={guarded(<Withdraw />)} />
              <Route path="rent-orders" element={guarded(<RentOrders />)} />
              <Route path="loans" element={guarded(<Loans />)} />
              <Route path="certificates" element={guarded(<Certificates />)} />
              <Route path="transfers" element={guarded(<Transfers />)} />
              <Route path="*" element={<Navigate to="/portal" replace />} />
            </Routes>
          </Suspense>
        </main>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', padding: 12 }}>
          <Link to="/">{t('政策与计算器', 'Policy and calculators')}</Link>
        </Typography.Paragraph>
      </div>
    </ConfigProvider>
  );
}
