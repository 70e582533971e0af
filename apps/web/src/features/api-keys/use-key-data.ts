import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { trpc } from '../../lib/trpc';
import type { KeyRecord, SpaceSummary } from './key-types';

/** The organization's spaces, for the space picker, filters and permission checks. */
export function useSpaces(orgId: string) {
  return useQuery({ ...trpc.space.list.queryOptions({ orgId }), staleTime: 60_000 });
}

/** The caller's role in a space, `null` without one, `undefined` while spaces load. */
export function spaceRoleOf(spaces: readonly SpaceSummary[] | undefined, spaceId: string) {
  if (!spaces) return undefined;
  return spaces.find((space) => space.id === spaceId)?.myRole ?? null;
}

/**
 * After a change to a key: puts the returned record in the detail cache and refetches every
 * list, so the table, the detail page and the paste dialog agree at once.
 */
export function useKeyCacheUpdates(orgId: string) {
  const queryClient = useQueryClient();
  const storeRecord = useCallback(
    (record: KeyRecord) => {
      queryClient.setQueryData(trpc.key.byId.queryKey({ orgId, keyId: record.id }), record);
    },
    [queryClient, orgId],
  );
  const refreshLists = useCallback(
    () => queryClient.invalidateQueries(trpc.key.list.pathFilter()),
    [queryClient],
  );
  const refreshAll = useCallback(() => queryClient.invalidateQueries(trpc.key.pathFilter()), [queryClient]);
  const forget = useCallback(
    (keyId: string) => queryClient.removeQueries({ queryKey: trpc.key.byId.queryKey({ orgId, keyId }) }),
    [queryClient, orgId],
  );
  return { storeRecord, refreshLists, refreshAll, forget };
}
