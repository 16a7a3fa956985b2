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
const RubricsPage = lazy(() => import('../pages/RubricsPage'));
const RubricPage = lazy(() => import('../pages/RubricPage'));
const CyclesPage = lazy(() => import('../pages/CyclesPage'));
const CyclePage = lazy(() => import('../pages/CyclePage'));
const MyReportsPage = lazy(() => import('../pages/MyReportsPage'));
const ReportPage = lazy(() => import('../pages/ReportPage'));

const STAFF = ['admin', 'clerk'] as const;
const TAKING_PART = ['admin', 'clerk', 'leader', 'deputy', 'member', 'secretary'] as const;

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
      {
        path: 'rubrics',
        element: (
          <RequireRole roles={STAFF}>
            <RubricsPage />
          </RequireRole>
        ),
      },
      {
        path: 'rubrics/:rubricId',
        element: (
          <RequireRole roles={STAFF}>
            <RubricPage />
          </RequireRole>
        ),
      },
      {
        path: 'cycles',
        element: (
          <RequireRole roles={TAKING_PART}>
            <CyclesPage />
          </RequireRole>
        ),
      },
      {
        path: 'cycles/:cycleId',
        element: (
          <RequireRole roles={TAKING_PART}>
            <CyclePage />
          </RequireRole>
        ),
      },
      { path: 'my-reports', element: <MyReportsPage /> },
      { path: 'reports/:reportId', element: <ReportPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
];
