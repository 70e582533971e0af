import { type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { ButtonLink, EmptyState, IconButton, Logo, Skeleton } from '../../components';
import { ChevronRightIcon, CompassIcon, MenuIcon, XIcon } from '../../components/icons';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, matchPath, useLocation } from '../../lib/router';
import type { Me } from '../../lib/trpc';
import { ApiKeyPasteWatcher } from '../api-keys/key-paste-watcher';
import { NotificationBell } from '../notifications/notification-bell';
import { OrganizationProvider } from '../organization/organization-context';
import { ROLE_LABEL } from '../organization/organization-labels';
import { organizationPath, rememberOrganization } from '../organization/organization-preference';
import { FullPageFrame } from './full-page-states';
import { SECTIONS, type Section } from './navigation';
import { Sidebar } from './sidebar';
import { UserMenu } from './user-menu';

function findSection(pathname: string): Section | null {
  return (
    SECTIONS.find(
      (section) =>
        matchPath(`/o/:orgSlug/${section.segment}`, pathname) ||
        (section.nested && matchPath(`/o/:orgSlug/${section.segment}/*`, pathname)),
    ) ?? null
  );
}

/**
 * The signed-in frame for one organization (`/o/:orgSlug/...`): sidebar, top bar and the
 * screen the URL names. Remembers the organization for the next visit to `/`.
 */
export function OrganizationShell({ me, orgSlug }: { me: Me; orgSlug: string }): ReactNode {
  const organization = me.organizations.find((org) => org.slug === orgSlug);
  const { pathname } = useLocation();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const section = findSection(pathname);

  useEffect(() => {
    if (organization) rememberOrganization(organization.slug);
  }, [organization]);

  useDocumentTitle(section?.label ?? 'Page not found', organization?.name);

  // The drawer (narrow screens) closes with Escape, like any other overlay.
  useEffect(() => {
    if (!sidebarOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSidebarOpen(false);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [sidebarOpen]);

  const context = useMemo(
    () => (organization ? { organization, organizations: me.organizations, user: me.user } : null),
    [organization, me],
  );

  if (!context) return <OrganizationNotFound me={me} slug={orgSlug} />;

  return (
    <OrganizationProvider value={context}>
      <div className="shell" data-sidebar-open={sidebarOpen || undefined}>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <aside className="shell__sidebar" id="shell-sidebar" aria-label="Sidebar">
          <Sidebar onNavigate={() => setSidebarOpen(false)} />
        </aside>
        {sidebarOpen ? (
          <div className="shell__scrim" aria-hidden="true" onClick={() => setSidebarOpen(false)} />
        ) : null}
        <div className="shell__main">
          <header className="topbar">
            <IconButton
              label={sidebarOpen ? 'Close navigation' : 'Open navigation'}
              className="topbar__menu"
              aria-expanded={sidebarOpen}
              aria-controls="shell-sidebar"
              onClick={() => setSidebarOpen((open) => !open)}
            >
              {sidebarOpen ? <XIcon size={18} /> : <MenuIcon size={18} />}
            </IconButton>
            <div className="topbar__heading">
              <span className="topbar__crumb">{context.organization.name}</span>
              <span className="topbar__crumb-sep" aria-hidden="true">
                /
              </span>
              <h1 className="topbar__title">{section?.label ?? 'Page not found'}</h1>
            </div>
            <div className="topbar__actions">
              <NotificationBell />
              <UserMenu user={me.user} />
            </div>
          </header>
          <main className="shell__content" id="main" tabIndex={-1}>
            {section ? (
              <Suspense fallback={<SectionSkeleton />}>
                <section.page.Component />
              </Suspense>
            ) : (
              <SectionNotFound slug={context.organization.slug} />
            )}
          </main>
        </div>
      </div>
      <ApiKeyPasteWatcher />
    </OrganizationProvider>
  );
}

function SectionNotFound({ slug }: { slug: string }): ReactNode {
  return (
    <EmptyState
      icon={<CompassIcon size={22} />}
      title="This page doesn't exist"
      description="The link may be old or mistyped. Everything in this organization is reachable from the sidebar."
      actions={
        <ButtonLink to={organizationPath(slug)} variant="primary">
          Go to overview
        </ButtonLink>
      }
    />
  );
}

/** A slug the user has no organization for: unknown, or not theirs (never say which). */
function OrganizationNotFound({ me, slug }: { me: Me; slug: string }): ReactNode {
  useDocumentTitle('Organization not found');
  return (
    <FullPageFrame>
      <div className="full-page__card">
        <p className="full-page__code">404</p>
        <h1 className="full-page__title">Organization not found</h1>
        <p className="full-page__text">
          There is no organization <span className="mono text-strong">{slug}</span> that you are a member of.
          If someone invited you, open the link from the invitation email.
        </p>
        {me.organizations.length > 0 ? (
          <ul className="org-list" aria-label="Your organizations">
            {me.organizations.map((org) => (
              <li key={org.id}>
                <Link to={organizationPath(org.slug)} className="org-list__item">
                  <Logo name={org.name} seed={org.slug} size="md" />
                  <span className="org-list__text">
                    <span className="org-list__name">{org.name}</span>
                    <span className="org-list__meta">{ROLE_LABEL[org.role]}</span>
                  </span>
                  <ChevronRightIcon size={16} className="org-list__chevron" />
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <ButtonLink to="/organizations/new" variant="primary">
            Create an organization
          </ButtonLink>
        )}
      </div>
    </FullPageFrame>
  );
}

/** What the shell looks like while the session loads: the same frame, in grey. */
export function ShellSkeleton(): ReactNode {
  return (
    <div className="shell" aria-busy="true">
      <span className="sr-only" role="status">
        Loading your organization…
      </span>
      <aside className="shell__sidebar">
        <div className="sidebar">
          <div className="sidebar__brand">
            <Skeleton width={120} height={26} />
          </div>
          <div className="sidebar__skeleton-switcher">
            <Skeleton width={32} height={32} radius={8} />
            <span className="stack stack--xs" style={{ flex: 1 }}>
              <Skeleton width="70%" height={12} />
              <Skeleton width="45%" height={10} />
            </span>
          </div>
          <div className="sidebar__nav">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton
                key={i}
                width={`${55 + ((i * 17) % 35)}%`}
                height={14}
                className="sidebar__skeleton-link"
              />
            ))}
          </div>
        </div>
      </aside>
      <div className="shell__main">
        <header className="topbar">
          <Skeleton width={180} height={18} />
          <div className="topbar__actions">
            <Skeleton width={28} height={28} radius={999} />
          </div>
        </header>
        <div className="shell__content">
          <SectionSkeleton />
        </div>
      </div>
    </div>
  );
}

/** A screen whose code or first data is still on its way. */
function SectionSkeleton(): ReactNode {
  return (
    <div className="stack stack--lg" aria-busy="true">
      <Skeleton width="40%" height={14} />
      <div className="stat-grid">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} height={88} radius={10} />
        ))}
      </div>
      <Skeleton height={220} radius={10} />
    </div>
  );
}
