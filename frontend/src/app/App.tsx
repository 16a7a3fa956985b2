import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';

import { onSessionExpired } from '../api/client';
import { createQueryClient } from './queryClient';
import { routes } from './routes';

const THEME = { token: { colorPrimary: '#b7202e', borderRadius: 6 } };

function SessionWatcher({ queryClient }: { queryClient: QueryClient }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  useEffect(
    () =>
      onSessionExpired(() => {
        queryClient.clear();
        void message.warning(t('auth.sessionExpired'));
      }),
    [queryClient, message, t],
  );
  return null;
}

/** Theme, locale (following the i18n language), query cache and message context for any tree. */
export function AppProviders({ children, queryClient }: { children: ReactNode; queryClient: QueryClient }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.title = t('app.name');
  }, [english, t]);
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionWatcher queryClient={queryClient} />
          {children}
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
