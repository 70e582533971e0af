import type { ReactNode } from 'react';
import { KeyPolicyCard } from '../key-policy/key-policy-card';
import { orgAbilities } from '../organization/org-permissions';
import { useCurrentOrganization } from '../organization/organization-context';
import { DangerZoneCard } from './danger-zone-card';
import { GeneralSettingsCard } from './general-settings-card';
import { KeyPrefixCard } from './key-prefix-card';
import { PlanCard } from './plan-card';
import '../organization/tenancy.css';
import './settings.css';

/**
 * The organization's settings: name and URL, key prefix, key policy, plan, and (for owners) the danger
 * zone. What the role may not change is shown read-only or not at all.
 */
export function SettingsPage(): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const abilities = orgAbilities(organization.role);
  return (
    <div className="stack stack--xl settings-page">
      <GeneralSettingsCard organization={organization} editable={abilities.updateOrganization} />
      <KeyPrefixCard organization={organization} editable={abilities.updateOrganization} />
      <KeyPolicyCard
        orgId={organization.id}
        orgSlug={organization.slug}
        editable={abilities.updateOrganization}
      />
      <PlanCard organization={organization} />
      {abilities.deleteOrganization ? <DangerZoneCard organization={organization} userId={user.id} /> : null}
    </div>
  );
}
