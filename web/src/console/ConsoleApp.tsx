// The staff console at /console: login, then a menu per role and one lazily loaded chunk per screen.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Result } from 'antd';
import { useLang } from '../lib/i18n.tsx';
import { StaffProvider, useStaff } from './staff.tsx';
import { screenAllowed } from './screens.ts';
import { Loading } from './Loading.tsx';
import LoginPage from './LoginPage.tsx';
import ConsoleLayout from './ConsoleLayout.tsx';

const Dashboard = lazy(() => import('./screens/Dashboard.tsx'));
const DepositorSearch = lazy(() => import('./screens/DepositorSearch.tsx'));
const DepositorDetail = lazy(() => import('./screens/DepositorDetail.tsx'));
const RegisterWizard = lazy(() => import('./screens/RegisterWizard.tsx'));
const CounterDeposit = lazy(() => import('./screens/CounterDeposit.tsx'));
const WithdrawalQueue = lazy(() => import('./screens/WithdrawalQueue.tsx'));
const LoanQueue = lazy(() => import('./screens/LoanQueue.tsx'));
const LoanDetail = lazy(() => import('./screens/LoanDetail.tsx'));
const Reconciliation = lazy(() => import('./screens/Reconciliation.tsx'));
const Payouts = lazy(() => import('./screens/Payouts.tsx'));
const HousingReferrals = lazy(() => import('./screens/HousingReferrals.tsx'));
const Liquidity = lazy(() => import('./screens/Liquidity.tsx'));
const CloseDay = lazy(() => import('./screens/CloseDay.tsx'));
const Transfers = lazy(() => import('./screens/Transfers.tsx'));
const Parameters = lazy(() => import('./screens/Parameters.tsx'));
const AuditLog = lazy(() => import('./screens/AuditLog.tsx'));
const Imports = lazy(() => import('./screens/Imports.tsx'));
const Units = lazy(() => import('./screens/Units.tsx'));
const UnitDetail = lazy(() => import('./screens/UnitDetail.tsx'));
const UnitImport = lazy(() => import('./screens/UnitImport.tsx'));

function RequireLogin({ children }: { children: React.ReactNode }) {
  const { user } = useStaff();
  const location = useLocation();
  if (!user) return <Navigate to="/console/login" replace state={{ from: location.pathname }} />;
  return children;
}

function Screen({
  name,
  component: Component,
}: {
  name: string;
  component: LazyExoticComponent<ComponentType>;
}) {
  const { user } = useStaff();
  const { t } = useLang();
  if (!user || !screenAllowed(name, user.roles))
    return (
      <Result
        status="403"
        title={t('无权访问', 'Not allowed')}
        subTitle={t('您的角色不能使用此功能。', 'Your role cannot use this screen.')}
      />
    );
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}

export default function ConsoleApp() {
  return (
    <StaffProvider>
      <Routes>
        <Route path="login" element={<LoginPage />} />
        <Route
          element={
            <RequireLogin>
              <ConsoleLayout />
            </RequireLogin>
          }
        >
          <Route index element={<Navigate to="dashboard" replace />} />
          <Route path="dashboard" element={<Screen name="dashboard" component={Dashboard} />} />
          <Route path="depositors" element={<Screen name="depositors" component={DepositorSearch} />} />
          <Route path="depositors/:id" element={<Screen name="depositors" component={DepositorDetail} />} />
          <Route path="register" element={<Screen name="register" component={RegisterWizard} />} />
          <Route path="deposit" element={<Screen name="deposit" component={CounterDeposit} />} />
          <Route path="withdrawals" element={<Screen name="withdrawals" component={WithdrawalQueue} />} />
          <Route path="loans" element={<Screen name="loans" component={LoanQueue} />} />
          <Route path="loans/:id" element={<Screen name="loans" component={LoanDetail} />} />
          <Route
            path="reconciliation"
            element={<Screen name="reconciliation" component={Reconciliation} />}
          />
          <Route path="payouts" element={<Screen name="payouts" component={Payouts} />} />
          <Route
            path="housing-referrals"
            element={<Screen name="referrals" component={HousingReferrals} />}
          />
          <Route path="close" element={<Screen name="close" component={CloseDay} />} />
          <Route path="liquidity" element={<Screen name="liquidity" component={Liquidity} />} />
          <Route path="transfers" element={<Screen name="transfers" component={Transfers} />} />
          <Route path="parameters" element={<Screen name="parameters" component={Parameters} />} />
          <Route path="audit" element={<Screen name="audit" component={AuditLog} />} />
          <Route path="imports" element={<Screen name="imports" component={Imports} />} />
          <Route path="units" element={<Screen name="units" component={Units} />} />
          <Route path="units/:id" element={<Screen name="units" component={UnitDetail} />} />
          <Route path="unit-imports" element={<Screen name="unit-imports" component={UnitImport} />} />
          <Route path="*" element={<Navigate to="dashboard" replace />} />
        </Route>
      </Routes>
    </StaffProvider>
  );
}
