import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation, useSearchParams } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { seesOrganizationMonitoring } from '../organization/monitoring-access';
import { useCurrentOrganization } from '../organization/organization-context';
import { PageIntro } from '../shell/page';
import { RestrictedSection } from '../shell/restricted-section';
import { BlockedIpsTab } from './blocked-ips-tab';
import { FailedAuthTab } from './failed-auth-tab';
import { parseSecurityTab, SECURITY_TAB_LABEL, SECURITY_TABS, type SecurityTab } from './security-display';
import { SecurityEventsTab } from './security-events-tab';
import './security.css';

const DESCRIPTION =
  'Suspicious activity around your keys, as it happens: refused logins, blocks, quotas, new IPs, leaks.';

/** Failed authentication, blocked IPs, exceeded quotas, keys used from new IPs. Owners and admins. */
export function SecurityPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  if (!seesOrganizationMonitoring(organization.role)) {
    return (
      <div className="stack stack--lg">
        <PageIntro description={DESCRIPTION} />
        <RestrictedSection what="Security events" />
      </div>
    );
  }
  return <SecurityScreen />;
}

function SecurityScreen(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const { pathname } = useLocation();
  const tab = parseSecurityTab(useSearchParams().get('tab'));
  // The badges on the tabs: what is going on right now, read once and refreshed with the lists.
  const blocked = useQuery({ ...trpc.security.blockedIps.queryOptions({ orgId }), refetchInterval: 30_000 });

  // On a phone the tab row scrolls sideways: keep the open tab in view.
  const tabsRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const current = tabsRef.current?.querySelector<HTMLElement>('[aria-current="page"]');
    const row = tabsRef.current;
    if (!current || !row || row.scrollWidth <= row.clientWidth) return;
    row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
  }, [tab]);

  const counts: Partial<Record<SecurityTab, number>> = {};
  if (blocked.data) counts.blocked = blocked.data.items.length;

  return (
    <div className="stack stack--lg security-page">
      <PageIntro description={DESCRIPTION} />
      <nav className="tabs" aria-label="Security sections" ref={tabsRef}>
        {SECURITY_TABS.map((id) => (
          <Link
            key={id}
            to={id === 'activity' ? pathname : `${pathname}?tab=${id}`}
            replace
            className="tabs__tab"
            aria-current={tab === id ? 'page' : undefined}
          >
            {SECURITY_TAB_LABEL[id]}
            {counts[id] ? (
              <span className={id === 'blocked' ? 'tabs__count tabs__count--danger' : 'tabs__count'}>
                {counts[id]}
              </span>
            ) : null}
          </Link>
        ))}
      </nav>
      {tab === 'failed-auth' ? (
        <FailedAuthTab orgId={orgId} orgSlug={organization.slug} />
      ) : tab === 'blocked' ? (
        <BlockedIpsTab orgId={orgId} orgSlug={organization.slug} />
      ) : (
        <SecurityEventsTab key={tab} orgId={orgId} orgSlug={organization.slug} tab={tab} />
      )}
    </div>
  );
}
