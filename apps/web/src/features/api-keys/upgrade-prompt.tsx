import type { ReactNode } from 'react';
import { ButtonLink, EmptyState } from '../../components';
import { SparklesIcon } from '../../components/icons';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';

/**
 * The keys page on a plan without API keys (§3: free). Owners can change the plan on the
 * settings page; everyone else is told who can.
 */
export function UpgradePrompt({ message }: { message?: string }): ReactNode {
  const { organization } = useCurrentOrganization();
  const isOwner = organization.role === 'owner';
  return (
    <div className="stack stack--lg">
      <PageIntro description="Keys your API consumers call with, each with its scopes, expiry, quotas and rate limits." />
      <EmptyState
        tone="accent"
        icon={<SparklesIcon size={22} />}
        title="API keys are included from the Pro plan"
        description={
          message ??
          `${organization.name} is on the Free plan. Upgrade to issue keys with scopes, quotas and rate limits of up to 20 requests per second.`
        }
        actions={
          isOwner ? (
            <ButtonLink to={organizationPath(organization.slug, 'settings')} variant="primary">
              Upgrade plan
            </ButtonLink>
          ) : (
            <p className="empty-state__note">
              Only an owner of {organization.name} can change its plan. Ask an owner to upgrade.
            </p>
          )
        }
      >
        <ul className="plan-points">
          <li>
            <strong>Pro</strong> 20 requests/s · 300/min
          </li>
          <li>
            <strong>Team</strong> 50 requests/s · 600/min
          </li>
          <li>
            <strong>Enterprise</strong> 200 requests/s · 3,000/min, auto-renewing keys
          </li>
        </ul>
      </EmptyState>
    </div>
  );
}
