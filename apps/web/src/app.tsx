import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ToastProvider } from './components';
import { GuestOnly, RequireAuth } from './features/auth/guards';
import { SignInPage } from './features/auth/sign-in-page';
import { SignUpPage } from './features/auth/sign-up-page';
import { AcceptInvitationPage } from './features/invitations/accept-invitation-page';
import { CreateOrganizationPage } from './features/organization/create-organization-page';
import {
  organizationPath,
  pickOrganization,
  readRememberedOrganization,
} from './features/organization/organization-preference';
import { NotFoundPage } from './features/shell/full-page-states';
import { OrganizationShell, ShellSkeleton } from './features/shell/organization-shell';
import { Redirect, type Route, Routes } from './lib/router';
import { queryClient } from './lib/trpc';

/** `/`: the last organization used in this browser, or onboarding when the user has none. */
function HomeRedirect(): ReactNode {
  return (
    <RequireAuth loading={<ShellSkeleton />}>
      {(me) => {
        const organization = pickOrganization(me.organizations, readRememberedOrganization());
        return <Redirect to={organization ? organizationPath(organization.slug) : '/organizations/new'} />;
      }}
    </RequireAuth>
  );
}

const ROUTES: readonly Route[] = [
  { path: '/', render: () => <HomeRedirect /> },
  {
    path: '/sign-in',
    render: () => (
      <GuestOnly>
        <SignInPage />
      </GuestOnly>
    ),
  },
  {
    path: '/sign-up',
    render: () => (
      <GuestOnly>
        <SignUpPage />
      </GuestOnly>
    ),
  },
  {
    // Reachable signed out: the page itself offers sign-in or sign-up and brings them back.
    path: '/invite/:token',
    render: (params) => <AcceptInvitationPage key={params.token} token={params.token ?? ''} />,
  },
  {
    path: '/organizations/new',
    render: () => <RequireAuth>{(me) => <CreateOrganizationPage me={me} />}</RequireAuth>,
  },
  {
    path: '/o/:orgSlug/*',
    render: (params) => (
      <RequireAuth loading={<ShellSkeleton />}>
        {(me) => <OrganizationShell me={me} orgSlug={params.orgSlug ?? ''} />}
      </RequireAuth>
    ),
  },
];

/** The SPA: providers, then the screen the URL names. */
export function App(): ReactNode {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <Routes routes={ROUTES} fallback={<NotFoundPage />} />
      </ToastProvider>
    </QueryClientProvider>
  );
}
