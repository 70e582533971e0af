import type { OrgRole } from '../../lib/trpc';

/**
 * Who sees the organization-wide monitoring screens (docs/permissions.md): the audit log,
 * security events and webhooks are `audit.read`, `security.read`/`security.manage` and
 * `webhook.read`/`webhook.manage`, which only owners and admins hold. Members read the usage
 * and logs of their spaces, and notifications about them. The server decides every call again.
 */
export function seesOrganizationMonitoring(role: OrgRole): boolean {
  return role === 'owner' || role === 'admin';
}
