import type { ReactNode } from 'react';
import { RequestLogsCard } from './request-logs-card';
import './usage.css';

/** A space's "Logs" tab: the request logs of every key in the space. */
export function SpaceLogsTab({
  orgId,
  orgSlug,
  spaceId,
}: {
  orgId: string;
  orgSlug: string;
  spaceId: string;
}): ReactNode {
  return (
    <RequestLogsCard
      orgId={orgId}
      orgSlug={orgSlug}
      scope={{ spaceId }}
      description="Every call made with the keys of this space, admitted or refused, newest first."
    />
  );
}
