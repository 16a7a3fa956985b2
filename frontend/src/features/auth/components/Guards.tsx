import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';

import type { Role } from '../../../api/types';
import { ErrorResult, ForbiddenResult } from '../../../components/ErrorResult';
import { FullPageSpinner } from '../../../components/FullPageSpinner';
import { hasRole, useMe, useSession } from '../api';

/** Render children for a logged-in user; send anyone else to the login page and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const me = useMe();
  if (session === null) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.isPending) return <FullPageSpinner />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  return children;
}

/** Render children only for the given roles; others see a 403 page. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <FullPageSpinner />;
  if (!hasRole(me.data, roles)) return <ForbiddenResult />;
  return children;
}
