import type { ReactNode } from 'react';
import { EmptyState } from '../../components';
import { LockIcon } from '../../components/icons';

/**
 * A screen the user's organization role does not include (an org member opening the audit log
 * by URL, say). The server refuses the data anyway; this says so plainly instead of an error.
 */
export function RestrictedSection({ what }: { what: string }): ReactNode {
  return (
    <EmptyState
      icon={<LockIcon size={22} />}
      title="Owners and admins only"
      description={`${what} are visible to the organization's owners and admins. Ask one of them if you need access.`}
    />
  );
}
