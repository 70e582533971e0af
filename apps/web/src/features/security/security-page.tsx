import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
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

  const counts: Partial<Record<SecurityTab, number>> = {};
  if (blocked.data) counts.blocked = blocked.data.items.length;

  return (
    <div className="stack stack--lg security-page">
      <PageIntro description={DESCRIPTION} />
      <nav className="tabs" aria-label="Security sections">
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
        <FailedAuthTab orgId={orgId} />
      ) : tab === 'blocked' ? (
        <BlockedIpsTab orgId={orgId} orgSlug={organization.slug} />
      ) : (
        <SecurityEventsTab key={tab} orgId={orgId} orgSlug={organization.slug} tab={tab} />
      )}
    </div>
  );
}
