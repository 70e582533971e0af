import type { ReactNode } from 'react';
import { EmptyState } from '../../components';
import { ScrollTextIcon } from '../../components/icons';
import { PageIntro } from '../shell/page';

/** Who changed what, and when. */
export function AuditLogPage(): ReactNode {
  return (
    <div className="stack stack--lg">
      <PageIntro description="A permanent record of changes to keys, spaces, members and settings." />
      <EmptyState
        icon={<ScrollTextIcon size={22} />}
        title="No audit events yet"
        description="When someone creates, changes or revokes anything in this organization, the event is recorded here with who did it, from where, and what changed."
      />
    </div>
  );
}
