import type { ReactNode } from 'react';
import { Link } from '../../lib/router';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';

/** The API keys section's two views: the keys, and the requests made with them. */
export function KeysSectionTabs({ current }: { current: 'keys' | 'logs' }): ReactNode {
  const { organization } = useCurrentOrganization();
  const tabs = [
    { id: 'keys', label: 'Keys', to: organizationPath(organization.slug, 'keys') },
    { id: 'logs', label: 'Logs', to: organizationPath(organization.slug, 'keys/logs') },
  ] as const;
  return (
    <nav className="tabs" aria-label="API keys sections">
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          to={tab.to}
          className="tabs__tab"
          aria-current={current === tab.id ? 'page' : undefined}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
