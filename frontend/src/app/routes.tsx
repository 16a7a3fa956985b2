import { lazy, Suspense } from 'react';
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
const PetitionCasesPage = lazy(() => import('../pages/PetitionCasesPage'));
const PetitionCasePage = lazy(() => import('../pages/PetitionCasePage'));
const PetitionStatsPage = lazy(() => import('../pages/PetitionStatsPage'));
const ReceptionCalendarPage = lazy(() => import('../pages/ReceptionCalendarPage'));
const PetitionImportPage = lazy(() => import('../pages/PetitionImportPage'));
const PetitionSyncPage = lazy(() => import('../pages/PetitionSyncPage'));
const MeetingsPage = lazy(() => import('../pages/MeetingsPage'));
const CycleMeetingsPage = lazy(() => import('../pages/CycleMeetingsPage'));
const MeetingConsolePage = lazy(() => import('../pages/MeetingConsolePage'));
const PaperBallotsPage = lazy(() => import('../pages/PaperBallotsPage'));
const MyMeetingsPage = lazy(() => import('../pages/MyMeetingsPage'));
const ScreenPage = lazy(() => import('../pages/ScreenPage'));
const LedgerPage = lazy(() => import('../pages/LedgerPage'));
const LedgerItemPage = lazy(() => import('../pages/LedgerItemPage'));
const MyLedgerItemsPage = lazy(() => import('../pages/MyLedgerItemsPage'));
const LedgerDashboardPage = lazy(() => import('../pages/LedgerDashboardPage'));
const OpinionsPage = lazy(() => import('../pages/OpinionsPage'));
const OpinionImportPage = lazy(() => import('../pages/OpinionImportPage'));
const FollowupPage = lazy(() => import('../pages/FollowupPage'));
const BoardPage = lazy(() => import('../pages/BoardPage'));
const BoardPosterPage = lazy(() => import('../pages/BoardPosterPage'));
const ResultsCyclesPage = lazy(() => import('../pages/ResultsCyclesPage'));
const CycleResultsPage = lazy(() => import('../pages/CycleResultsPage'));
const InterviewsPage = lazy(() => import('../pages/InterviewsPage'));
const NoticesPage = lazy(() => import('../pages/NoticesPage'));
const MyResultsPage = lazy(() => import('../pages/MyResultsPage'));
const TargetProgrammesPage = lazy(() => import('../pages/TargetProgrammesPage'));
const TargetProgrammePage = lazy(() => import('../pages/TargetProgrammePage'));
const TargetPipelinePage = lazy(() => import('../pages/TargetPipelinePage'));
const TargetCompletionPage = lazy(() => import('../pages/TargetCompletionPage'));
const TargetMonthlyPage = lazy(() => import('../pages/TargetMonthlyPage'));
const TargetSupervisionPage = lazy(() => import('../pages/TargetSupervisionPage'));
const TargetBulletinsPage = lazy(() => import('../pages/TargetBulletinsPage'));
const TargetBulletinPage = lazy(() => import('../pages/TargetBulletinPage'));

const CASE_READERS = ['admin', 'clerk', 'leader', 'secretary'] as const;
const CASE_MANAGERS = ['admin', 'clerk'] as const;
const SYNC_READERS = ['admin', 'clerk', 'integration'] as const;
const MEETING_HOSTS = ['admin', 'clerk'] as const;
const RubricsPage = lazy(() => import('../pages/RubricsPage'));
const RubricPage = lazy(() => import('../pages/RubricPage'));
const CyclesPage = lazy(() => import('../pages/CyclesPage'));
const CyclePage = lazy(() => import('../pages/CyclePage'));
const MyReportsPage = lazy(() => import('../pages/MyReportsPage'));
const ReportPage = lazy(() => import('../pages/ReportPage'));
const STAFF = ['admin', 'clerk'] as const;
const TAKING_PART = ['admin', 'clerk', 'leader', 'deputy', 'member', 'secretary'] as const;
const LEDGER_READERS = ['admin', 'clerk', 'leader', 'secretary'] as const;
const LEDGER_STAFF = ['admin', 'clerk'] as const;
const NOTICE_READERS = ['admin', 'clerk', 'secretary'] as const;
// Target supervision: the staff set programmes up; secretaries keep their own units' projects too.
const TARGET_STAFF = ['admin', 'clerk'] as const;
const PIPELINE_USERS = ['admin', 'clerk', 'secretary'] as const;
// Monthly reports, supervision and bulletins: the host's leaders supervise and read them too.
const TARGET_READERS = ['admin', 'clerk', 'leader', 'secretary'] as const;

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
      ...[
        { path: 'meetings', page: <MeetingsPage /> },
        { path: 'meetings/:meetingId', page: <MeetingConsolePage /> },
        { path: 'meetings/:meetingId/paper', page: <PaperBallotsPage /> },
        { path: 'cycles/:cycleId/meetings', page: <CycleMeetingsPage /> },
      ].map(({ path, page }) => ({ path, element: <RequireRole roles={MEETING_HOSTS}>{page}</RequireRole> })),
      { path: 'my-meetings', element: <MyMeetingsPage /> },
      ...[
        { path: 'ledger', page: <LedgerPage /> },
        { path: 'ledger/items/:itemId', page: <LedgerItemPage /> },
        { path: 'ledger/mine', page: <MyLedgerItemsPage /> },
        { path: 'ledger/dashboard', page: <LedgerDashboardPage /> },
        { path: 'ledger/opinions', page: <OpinionsPage /> },
        { path: 'ledger/followup', page: <FollowupPage /> },
      ].map(({ path, page }) => ({ path, element: <RequireRole roles={LEDGER_READERS}>{page}</RequireRole> })),
      {
        path: 'ledger/import',
        element: (
          <RequireRole roles={LEDGER_STAFF}>
            <OpinionImportPage />
          </RequireRole>
        ),
      },
      ...[
        { path: 'results', roles: TAKING_PART, page: <ResultsCyclesPage /> },
        { path: 'cycles/:cycleId/results', roles: TAKING_PART, page: <CycleResultsPage /> },
        { path: 'interviews', roles: STAFF, page: <InterviewsPage /> },
        { path: 'notices', roles: NOTICE_READERS, page: <NoticesPage /> },
        { path: 'my-results', roles: ['secretary'] as const, page: <MyResultsPage /> },
      ].map(({ path, roles, page }) => ({ path, element: <RequireRole roles={roles}>{page}</RequireRole> })),
      {
        path: 'users',
        element: (
          <RequireRole roles={['admin']}>
            <UsersPage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions',
        element: (
          <RequireRole roles={CASE_READERS}>
            <PetitionCasesPage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions/cases/:caseId',
        element: (
          <RequireRole roles={CASE_READERS}>
            <PetitionCasePage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions/stats',
        element: (
          <RequireRole roles={CASE_READERS}>
            <PetitionStatsPage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions/calendar',
        element: (
          <RequireRole roles={CASE_READERS}>
            <ReceptionCalendarPage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions/import',
        element: (
          <RequireRole roles={CASE_MANAGERS}>
            <PetitionImportPage />
          </RequireRole>
        ),
      },
      {
        path: 'petitions/sync',
        element: (
          <RequireRole roles={SYNC_READERS}>
            <PetitionSyncPage />
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
      ...[
        { path: 'targets', roles: TARGET_STAFF, page: <TargetProgrammesPage /> },
        { path: 'targets/programmes/:programmeId', roles: TARGET_STAFF, page: <TargetProgrammePage /> },
        { path: 'targets/pipeline', roles: PIPELINE_USERS, page: <TargetPipelinePage /> },
        { path: 'targets/completion', roles: PIPELINE_USERS, page: <TargetCompletionPage /> },
        { path: 'targets/monthly', roles: TARGET_READERS, page: <TargetMonthlyPage /> },
        { path: 'targets/supervision', roles: TARGET_READERS, page: <TargetSupervisionPage /> },
        { path: 'targets/bulletins', roles: TARGET_READERS, page: <TargetBulletinsPage /> },
        { path: 'targets/bulletins/:bulletinId', roles: TARGET_READERS, page: <TargetBulletinPage /> },
      ].map(({ path, roles, page }) => ({ path, element: <RequireRole roles={roles}>{page}</RequireRole> })),
      { path: 'my-reports', element: <MyReportsPage /> },
      { path: 'reports/:reportId', element: <ReportPage /> },
    ],
  },
  // The hall's big screen: no login, no admin frame; its key is in the address.
  {
    path: '/screen/:meetingId',
    element: (
      <Suspense fallback={null}>
        <ScreenPage />
      </Suspense>
    ),
    errorElement: <RouteError />,
  },
  // The public rectification progress board: no login, no personal data.
  {
    path: '/board',
    element: (
      <Suspense fallback={null}>
        <BoardPage />
      </Suspense>
    ),
    errorElement: <RouteError />,
  },
  // The board's QR poster for staff to print: signed in, but no admin frame around the A4 page.
  {
    path: '/board/poster',
    element: (
      <RequireAuth>
        <RequireRole roles={STAFF}>
          <Suspense fallback={null}>
            <BoardPosterPage />
          </Suspense>
        </RequireRole>
      </RequireAuth>
    ),
    errorElement: <RouteError />,
  },
  { path: '*', element: <NotFoundPage /> },
];
