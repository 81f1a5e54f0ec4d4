// Three areas on one origin, each its own chunk (split by route): the public page at /, the depositor
// portal at /portal, the staff console at /console. antd in zh-CN by default, en-US on the switch.
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ConfigProvider, Spin, App as AntApp } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { LangProvider, useLang } from './lib/i18n.tsx';

/**
 * Animations off for people who asked their system for reduced motion, and for automated browsers (the
 * browser tests): a dialog that is still zooming in can take a click meant for its button on the mask.
 */
const MOTION = !(
  navigator.webdriver ||
  (typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches)
);

const PublicPage = lazy(() => import('./public/PublicPage.tsx'));
const PortalApp = lazy(() => import('./portal/PortalApp.tsx'));
const ConsoleApp = lazy(() => import('./console/ConsoleApp.tsx'));

function Localized() {
  const { lang } = useLang();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#c0392b', motion: MOTION } }}
    >
      <AntApp>
        <BrowserRouter>
          <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />}>
            <Routes>
              <Route path="/portal/*" element={<PortalApp />} />
              <Route path="/console/*" element={<ConsoleApp />} />
              <Route path="*" element={<PublicPage />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LangProvider>
      <Localized />
    </LangProvider>
  );
}
