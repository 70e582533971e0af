import { useMutation, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../lib/trpc';

/**
 * Marking notifications read (server-side, per user): one entry, or all of them. Every
 * notification list (bell, page, filters) is refetched afterwards so they agree.
 */
export function useNotificationRead(orgId: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.notification.list.pathFilter());
  const markRead = useMutation(trpc.notification.markRead.mutationOptions({ onSuccess: refresh }));
  const markAllRead = useMutation(trpc.notification.markAllRead.mutationOptions({ onSuccess: refresh }));
  return {
    markRead: (id: string) => markRead.mutate({ orgId, id }),
    markAllRead: () => markAllRead.mutateAsync({ orgId }),
    markingAll: markAllRead.isPending,
  };
}
