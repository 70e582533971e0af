import { useMutation, useQuery } from '@tanstack/react-query';
import { navigate } from '../../lib/router';
import { type Me, queryClient, trpc } from '../../lib/trpc';

/** The signed-in user and their organizations (`null` when signed out). */
export function useMe() {
  return useQuery(trpc.auth.me.queryOptions());
}

/** Fetches `auth.me` afresh (after sign-in, sign-up, creating an organization) and returns it. */
export async function refreshMe(): Promise<Me | null> {
  return queryClient.fetchQuery({ ...trpc.auth.me.queryOptions(), staleTime: 0 });
}

/** Signs out on the server, forgets every cached answer and goes to the sign-in page. */
export function useSignOut() {
  return useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        navigate('/sign-in', { replace: true });
      },
    }),
  );
}
