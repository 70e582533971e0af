import type { ReactNode } from 'react';
import { matchPath, useLocation } from '../../lib/router';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { PageNotFound } from '../shell/page-not-found';
import { OrganizationLogsPage } from '../usage/organization-logs-page';
import { KeyDetailPage } from './key-detail-page';
import { KeysListPage } from './keys-list-page';
import { UpgradePrompt } from './upgrade-prompt';
import './api-keys.css';

/**
 * The API keys section: `/o/:slug/keys` (the table), `/o/:slug/keys/logs` (every request made
 * with the organization's keys) and `/o/:slug/keys/:keyId` (one key).
 * On a plan without API keys, the upgrade prompt instead.
 */
export function ApiKeysPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const { pathname } = useLocation();

  if (!planIncludesApiKeys(organization.plan)) return <UpgradePrompt />;

  if (matchPath('/o/:orgSlug/keys', pathname)) return <KeysListPage />;
  if (matchPath('/o/:orgSlug/keys/logs', pathname)) return <OrganizationLogsPage />;
  const detail = matchPath('/o/:orgSlug/keys/:keyId', pathname);
  if (detail?.keyId) return <KeyDetailPage key={detail.keyId} keyId={detail.keyId} />;
  return <PageNotFound backTo={organizationPath(organization.slug, 'keys')} backLabel="All API keys" />;
}
