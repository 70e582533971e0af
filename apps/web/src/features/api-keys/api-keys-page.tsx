import type { ReactNode } from 'react';
import { ButtonLink, EmptyState } from '../../components';
import { KeyIcon, LayersIcon, SparklesIcon } from '../../components/icons';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';

/** API keys of the organization. Until the first key exists: what keys are, or the upgrade prompt on the free plan. */
export function ApiKeysPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const prefix = organization.keyPrefix;

  if (!planIncludesApiKeys(organization.plan)) {
    return (
      <div className="stack stack--lg">
        <PageIntro description="Keys your API consumers call with, each with its scopes, expiry, quotas and rate limits." />
        <EmptyState
          tone="accent"
          icon={<SparklesIcon size={22} />}
          title="API keys are included from the Pro plan"
          description={`${organization.name} is on the Free plan. Upgrade to issue keys with scopes, quotas and rate limits of up to 20 requests per second.`}
          actions={
            <ButtonLink to={organizationPath(organization.slug, 'settings')} variant="primary">
              Compare plans
            </ButtonLink>
          }
        />
      </div>
    );
  }

  return (
    <div className="stack stack--lg">
      <PageIntro description="Keys your API consumers call with, each with its scopes, expiry, quotas and rate limits." />
      <EmptyState
        icon={<KeyIcon size={22} />}
        title="No API keys yet"
        description="Every key belongs to a space, which defines the scopes it may hold. Set up a space for your API, then issue keys from it."
        actions={
          <ButtonLink
            to={organizationPath(organization.slug, 'spaces')}
            variant="primary"
            icon={<LayersIcon size={16} />}
          >
            Go to spaces
          </ButtonLink>
        }
      >
        <p className="empty-state__note">
          Keys look like <span className="mono text-strong">{prefix}_live_7Hq2mX9aBc3dEf4G.N8rT…</span> and
          are shown in full only once, when they are created.
        </p>
      </EmptyState>
    </div>
  );
}
