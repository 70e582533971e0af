import type { ReactNode } from 'react';
import { Redirect, safeRedirectPath, useLocation, useSearchParams } from '../../lib/router';
import type { Me } from '../../lib/trpc';
import { AppSplash, FullPageError } from '../shell/full-page-states';
import { useMe } from './session';

export interface RequireAuthProps {
  children: (me: Me) => ReactNode;
  /** What to show while loading (a skeleton of the page), instead of the splash. */
  loading?: ReactNode;
}

/**
 * Renders its children with the signed-in user; sends signed-out visitors to the sign-in
 * page with `?next=` set, so they come back here afterwards.
 */
export function RequireAuth({ children, loading }: RequireAuthProps): ReactNode {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return loading ?? <AppSplash />;
  if (me.isError)
    return <FullPageError error={me.error} onRetry={() => void me.refetch()} retrying={me.isFetching} />;
  if (!me.data) {
    const here = `${location.pathname}${location.search}`;
    return <Redirect to={here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`} />;
  }
  return children(me.data);
}

/** For the sign-in and sign-up pages: a signed-in user goes on to where they were headed. */
export function GuestOnly({ children }: { children: ReactNode }): ReactNode {
  const me = useMe();
  const params = useSearchParams();
  if (me.isPending) return <AppSplash />;
  // If we cannot tell (API down), show the form: signing in will report the problem.
  if (me.data) return <Redirect to={safeRedirectPath(params.get('next'))} />;
  return children;
}
