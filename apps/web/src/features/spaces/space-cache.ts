import { queryClient, type RouterOutputs, trpc } from '../../lib/trpc';

type SpaceRecord = RouterOutputs['space']['byId'];

/**
 * After a change to a space: stores the returned record for its page and refetches the lists
 * that show it (the spaces grid, the members' space chips, the keys screens' space pickers).
 */
export function storeSpace(orgId: string, space: SpaceRecord): Promise<void> {
  queryClient.setQueryData(trpc.space.byId.queryKey({ orgId, spaceId: space.id }), space);
  return refreshSpaceLists(orgId);
}

export async function refreshSpaceLists(orgId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries(trpc.space.list.queryFilter({ orgId })),
    queryClient.invalidateQueries(trpc.member.list.queryFilter({ orgId })),
  ]);
}
