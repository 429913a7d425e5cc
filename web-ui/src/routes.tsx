import { lazy, useEffect } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import Layout from './components/Layout';
import { Empty, Loading, ProblemAlert } from './components/States';
import { onUnauthorized } from './api/client';
import { sessionKey, useSession } from './session/useSession';
import { useProjects } from './projects/useProjects';

// Route-level code splitting: each screen is its own chunk; charts (recharts) load only with exposure and reports.
const SignInPage = lazy(() => import('./session/SignInPage'));
const FlagListPage = lazy(() => import('./flags/FlagListPage'));
const FlagPage = lazy(() => import('./flags/FlagPage'));
const SegmentsPage = lazy(() => import('./segments/SegmentsPage'));
const MetricsPage = lazy(() => import('./metrics/MetricsPage'));
const SdkKeysPage = lazy(() => import('./keys/SdkKeysPage'));
const TokensPage = lazy(() => import('./keys/TokensPage'));
const UsersPage = lazy(() => import('./users/UsersPage'));
const AuditPage = lazy(() => import('./audit/AuditPage'));
const EvaluatePage = lazy(() => import('./evaluate/EvaluatePage'));
const ProjectsPage = lazy(() => import('./projects/ProjectsPage'));
const SchedulesPage = lazy(() => import('./schedules/SchedulesPage'));
const TeamsPage = lazy(() => import('./teams/TeamsPage'));
const NotificationsPage = lazy(() => import('./notifications/NotificationsPage'));
const AlertsPage = lazy(() => import('./alerts/AlertsPage'));

/**
 * Signed-in screens. When the session ends (any call answers 401) the person goes to sign in and comes back to the
 * page they were on.
 */
function RequireSession() {
  const { session, loading, error } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();

  useEffect(
    () =>
      onUnauthorized(() => {
        client.setQueryData(sessionKey, null);
        const next = encodeURIComponent(window.location.pathname + window.location.search);
        navigate(`/sign-in?expired=1&next=${next}`, { replace: true });
      }),
    [client, navigate],
  );

  if (loading) return <Loading label="Checking your session" />;
  if (error) return <ProblemAlert error={error} title="The server could not be reached" />;
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return <Outlet />;
}

function Home() {
  const { projects, loading } = useProjects();
  if (loading) return <Loading />;
  const first = projects.find((p) => !p.archived);
  if (first) return <Navigate to={`/projects/${first.key}/flags`} replace />;
  return <Empty title="No projects yet">An admin creates the first project (Projects, or POST /api/v1/projects).</Empty>;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Home /> },
          { path: 'projects', element: <ProjectsPage /> },
          { path: 'projects/:project', element: <Navigate to="flags" replace /> },
          { path: 'projects/:project/flags', element: <FlagListPage /> },
          { path: 'projects/:project/flags/:flag', element: <FlagPage /> },
          { path: 'projects/:project/flags/:flag/:environment', element: <FlagPage /> },
          { path: 'projects/:project/flags/:flag/:environment/:tab', element: <FlagPage /> },
          { path: 'projects/:project/segments', element: <SegmentsPage /> },
          { path: 'projects/:project/metrics', element: <MetricsPage /> },
          { path: 'projects/:project/sdk-keys', element: <SdkKeysPage /> },
          { path: 'projects/:project/evaluate', element: <EvaluatePage /> },
          { path: 'projects/:project/alerts', element: <AlertsPage /> },
          { path: 'projects/:project/schedules', element: <SchedulesPage /> },
          { path: 'projects/:project/teams', element: <TeamsPage /> },
          { path: 'projects/:project/notifications', element: <NotificationsPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'tokens', element: <TokensPage /> },
          { path: 'users', element: <UsersPage /> },
          { path: '*', element: <Empty title="Page not found">Check the address, or pick a screen on the left.</Empty> },
        ],
      },
    ],
  },
]);
