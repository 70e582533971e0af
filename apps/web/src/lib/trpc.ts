import type { AppRouter } from '@keysmith/api/router';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { errorCodeOf } from './api-errors';
import { observeServerDate } from './server-clock';

/** Outputs of every procedure as the browser receives them (dates arrive as ISO strings). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type CurrentUser = Me['user'];
export type Organization = Me['organizations'][number];
export type OrgRole = Organization['role'];
export type Plan = Organization['plan'];

/**
 * A session that ends while the SPA is open (expiry, sign-out elsewhere, password change on
 * another device) shows up as UNAUTHORIZED on the next call. Marking the user signed out makes
 * the route guards send them to the sign-in page instead of leaving a broken screen.
 */
function onUnauthorized(error: unknown): void {
  if (errorCodeOf(error) !== 'UNAUTHORIZED') return;
  queryClient.setQueryData(trpc.auth.me.queryKey(), null);
}

/** The one QueryClient of the SPA. */
export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthorized }),
  mutationCache: new MutationCache({ onError: onUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: true,
      // Client errors (bad input, not found, signed out) will not change on retry.
      retry: (failureCount, error) => {
        const code = errorCodeOf(error);
        if (code && code !== 'INTERNAL_SERVER_ERROR' && code !== 'TIMEOUT') return false;
        return failureCount < 2;
      },
    },
    mutations: { retry: false },
  },
});

/** The one tRPC client: batched HTTP to the same origin, sending the session cookie. */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/trpc',
      // The session cookie goes to this origin only (the API and the SPA share it).
      fetch: async (input, init) => {
        const sentAt = Date.now();
        const response = await fetch(input, {
          ...init,
          signal: init?.signal ?? null,
          credentials: 'same-origin',
        });
        observeServerDate(response.headers.get('date'), sentAt, Date.now());
        return response;
      },
    }),
  ],
});

/** Query and mutation options for every procedure: `useQuery(trpc.auth.me.queryOptions())`. */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
