import type { ReactNode } from 'react';
import { KeysSectionTabs } from '../api-keys/keys-section-tabs';
import { UpgradePrompt } from '../api-keys/upgrade-prompt';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { RequestLogsCard } from './request-logs-card';
import './usage.css';

/**
 * `/o/:slug/keys/logs` (API keys → Logs): every request made with the keys the viewer may read (all spaces for owners
 * and admins, their own spaces for members; the server filters), with key, space, status,
 * outcome, IP, endpoint and time filters and a CSV export.
 */
export function OrganizationLogsPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  if (!planIncludesApiKeys(organization.plan)) return <UpgradePrompt />;
  return (
    <div className="stack stack--lg">
      <KeysSectionTabs current="logs" />
      <RequestLogsCard
        orgId={organization.id}
        orgSlug={organization.slug}
        scope={{}}
        description={
          organization.role === 'member'
            ? 'Every call made with the keys of your spaces, admitted or refused, newest first.'
            : 'Every call made with this organization’s keys, admitted or refused, newest first.'
        }
      />
    </div>
  );
}
