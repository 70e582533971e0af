import type { ReactNode } from 'react';
import { matchPath, useLocation } from '../../lib/router';
import { SpaceDetailPage } from './space-detail-page';
import { SpacesList } from './spaces-list';
import '../organization/tenancy.css';
import './spaces.css';

/**
 * The Spaces section: the list at `/o/:orgSlug/spaces`, one space's settings at
 * `…/spaces/:spaceId`, its members at `…/spaces/:spaceId/members` and its request logs at
 * `…/spaces/:spaceId/logs`.
 */
export function SpacesPage(): ReactNode {
  const { pathname } = useLocation();
  const logs = matchPath('/o/:orgSlug/spaces/:spaceId/logs', pathname);
  if (logs?.spaceId) return <SpaceDetailPage key={logs.spaceId} spaceId={logs.spaceId} tab="logs" />;
  const members = matchPath('/o/:orgSlug/spaces/:spaceId/members', pathname);
  if (members?.spaceId)
    return <SpaceDetailPage key={members.spaceId} spaceId={members.spaceId} tab="members" />;
  const settings = matchPath('/o/:orgSlug/spaces/:spaceId', pathname);
  if (settings?.spaceId)
    return <SpaceDetailPage key={settings.spaceId} spaceId={settings.spaceId} tab="settings" />;
  return <SpacesList />;
}
