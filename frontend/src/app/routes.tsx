import { lazy } from 'react';
import { useRouteError, type RouteObject } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { RequireAuth, RequireRole } from '../features/auth/components/Guards';
import { HomePage } from '../pages/HomePage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { AppLayout } from './AppLayout';

// Admin pages load on demand so the login and home pages stay light.
const OrgsPage = lazy(() => import('../pages/OrgsPage'));
const UsersPage = lazy(() => import('../pages/UsersPage'));
const AuditPage = lazy(() => import('../pages/AuditPage'));

function RouteError() {
  const error = useRouteError();
  return <ErrorResult error={error} onRetry={() => window.location.reload()} />;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'orgs', element: <OrgsPage /> },
      {
        path: 'users',
        element: (
          <RequireRole roles={['admin']}>
            <UsersPage />
          </RequireRole>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequireRole roles={['admin']}>
            <AuditPage />
          </RequireRole>
        ),
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
];
