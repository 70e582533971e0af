import type { ReactNode } from 'react';
import {
  DropdownMenu,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  Logo,
} from '../../components';
import { ChevronsUpDownIcon, PlusIcon } from '../../components/icons';
import { navigate } from '../../lib/router';
import { useCurrentOrganization } from './organization-context';
import { PLAN_LABEL, ROLE_LABEL } from './organization-labels';
import { organizationPath } from './organization-preference';

/** The sidebar's organization menu: every organization of the user, the current one checked, and "Create organization". */
export function OrganizationSwitcher(): ReactNode {
  const { organization, organizations } = useCurrentOrganization();
  return (
    <DropdownMenu
      label="Switch organization"
      width={280}
      className="org-switcher"
      trigger={(props, open) => (
        <button {...props} type="button" className="org-switcher__trigger" data-open={open || undefined}>
          <Logo name={organization.name} seed={organization.slug} size="md" />
          <span className="org-switcher__text">
            <span className="org-switcher__name">{organization.name}</span>
            <span className="org-switcher__meta">
              {PLAN_LABEL[organization.plan]} plan · {ROLE_LABEL[organization.role]}
            </span>
          </span>
          <ChevronsUpDownIcon size={16} className="org-switcher__chevron" />
          <span className="sr-only">Switch organization</span>
        </button>
      )}
    >
      <DropdownMenuLabel>Organizations</DropdownMenuLabel>
      {organizations.map((org) => (
        <DropdownMenuItem
          key={org.id}
          checked={org.id === organization.id}
          icon={<Logo name={org.name} seed={org.slug} size="sm" />}
          aside={ROLE_LABEL[org.role]}
          onSelect={() => navigate(organizationPath(org.slug))}
        >
          {org.name}
        </DropdownMenuItem>
      ))}
      <DropdownMenuSeparator />
      <DropdownMenuItem icon={<PlusIcon size={16} />} onSelect={() => navigate('/organizations/new')}>
        Create organization
      </DropdownMenuItem>
    </DropdownMenu>
  );
}
