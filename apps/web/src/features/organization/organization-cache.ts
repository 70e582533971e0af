import { type Organization, queryClient, trpc } from '../../lib/trpc';

/**
 * After a change to the organization (rename, new slug or prefix, plan, ownership): puts the
 * returned record into the signed-in user's organization list at once, so the shell, the
 * switcher and the URL agree without waiting for a refetch, then refetches in the background.
 */
export function storeOrganization(organization: Organization): void {
  queryClient.setQueryData(trpc.auth.me.queryKey(), (me) =>
    me
      ? {
          ...me,
          organizations: me.organizations.map((org) => (org.id === organization.id ? organization : org)),
        }
      : me,
  );
  void queryClient.invalidateQueries(trpc.organization.pathFilter());
}

/**
 * After leaving or deleting an organization: drops it from the user's list at once (so `/`
 * does not send them back into it), then refetches the list in the background.
 */
export function forgetOrganization(orgId: string): void {
  queryClient.setQueryData(trpc.auth.me.queryKey(), (me) =>
    me ? { ...me, organizations: me.organizations.filter((org) => org.id !== orgId) } : me,
  );
  void queryClient.invalidateQueries(trpc.auth.me.queryFilter());
  void queryClient.invalidateQueries(trpc.organization.pathFilter());
}
