import type { ReactNode } from 'react';
import { KeysmithWordmark } from '../../components';
import { ArrowRightIcon, SparklesIcon } from '../../components/icons';
import { Link } from '../../lib/router';
import { seesOrganizationMonitoring } from '../organization/monitoring-access';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { OrganizationSwitcher } from '../organization/organization-switcher';
import { NAV_GROUPS, SECTIONS } from './navigation';

/** Brand, organization switcher and the organization's screens. */
export function Sidebar({ onNavigate }: { onNavigate: () => void }): ReactNode {
  const { organization } = useCurrentOrganization();
  return (
    <div className="sidebar">
      <div className="sidebar__brand">
        <Link to={organizationPath(organization.slug)} aria-label="Keysmith overview" onClick={onNavigate}>
          <KeysmithWordmark size={26} />
        </Link>
      </div>
      <OrganizationSwitcher />
      <nav className="sidebar__nav" aria-label="Organization">
        {NAV_GROUPS.map((group) => (
          <div key={group.id} className="sidebar__group">
            <p className="sidebar__group-label">{group.label}</p>
            <ul>
              {SECTIONS.filter(
                (section) =>
                  section.group === group.id &&
                  !section.hidden &&
                  (!section.adminOnly || seesOrganizationMonitoring(organization.role)),
              ).map((section) => (
                <li key={section.segment}>
                  <Link
                    to={organizationPath(organization.slug, section.segment)}
                    activeMatch={section.segment === '' ? 'exact' : 'prefix'}
                    className="sidebar__link"
                    onClick={onNavigate}
                  >
                    {section.icon}
                    <span>{section.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      {!planIncludesApiKeys(organization.plan) ? (
        <div className="sidebar__upsell">
          <p className="sidebar__upsell-title">
            <SparklesIcon size={14} /> You're on the Free plan
          </p>
          <p className="sidebar__upsell-text">
            Issue API keys with quotas and rate limits from the Pro plan.
          </p>
          <Link
            to={organizationPath(organization.slug, 'settings')}
            className="sidebar__upsell-link"
            onClick={onNavigate}
          >
            Compare plans <ArrowRightIcon size={12} />
          </Link>
        </div>
      ) : null}
    </div>
  );
}
