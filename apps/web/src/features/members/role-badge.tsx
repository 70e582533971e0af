import type { ReactNode } from 'react';
import { Badge, type BadgeTone } from '../../components';
import type { OrgRole } from '../../lib/trpc';
import { ROLE_LABEL } from '../organization/organization-labels';

const ROLE_TONE: Record<OrgRole, BadgeTone> = { owner: 'accent', admin: 'info', member: 'neutral' };

/** An organization role as a badge: owners stand out, members stay quiet. */
export function OrgRoleBadge({ role }: { role: OrgRole }): ReactNode {
  return <Badge tone={ROLE_TONE[role]}>{ROLE_LABEL[role]}</Badge>;
}
