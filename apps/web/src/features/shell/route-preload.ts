import { type Me, queryClient, trpc } from '../../lib/trpc';
import { listInput, parseListState } from '../api-keys/key-list-params';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { prefetchKeyUsage } from '../usage/key-usage-queries';
import { preloadSectionOf } from './navigation';

const KEYS_ROUTE = /^\/o\/([^/]+)\/keys(?:\/(key_[A-Za-z0-9]+))?\/?$/;

/**
 * The session the server rendered into the page (`<script type="application/json"
 * id="ks-session">`, see the API's `http/spa-page.ts`): `auth.me`'s answer for this cookie a
 * moment ago, so the screen's data is asked for at once instead of after a round trip. Absent
 * (the dev server, or the server could not read it), the SPA asks as before.
 */
function adoptPageSession(): void {
  const element = document.getElementById('ks-session');
  if (!element) return;
  element.remove();
  try {
    queryClient.setQueryData(trpc.auth.me.queryKey(), JSON.parse(element.textContent ?? '') as Me | null);
  } catch {
    // Not JSON: ask the server instead.
  }
}

/**
 * What the first screen needs, started before React renders anything: the screen's chunk, the
 * session, and, as soon as the session names the organization, the screen's data in one batched
 * request. Without it the data waits for the shell to render the screen, one step after the
 * other. The queries are exactly those the screens make, so they find them in the cache.
 */
export function preloadRoute(pathname: string, search: string): void {
  preloadSectionOf(pathname);
  adoptPageSession();
  const keys = KEYS_ROUTE.exec(pathname);
  void queryClient
    .fetchQuery(trpc.auth.me.queryOptions())
    .then((me) => {
      const organization = me?.organizations.find((org) => org.slug === keys?.[1]);
      if (!keys || !organization || !planIncludesApiKeys(organization.plan)) return;
      const orgId = organization.id;
      void queryClient.prefetchQuery({ ...trpc.space.list.queryOptions({ orgId }), staleTime: 60_000 });
      const keyId = keys[2];
      if (keyId) {
        void queryClient.prefetchQuery(trpc.key.byId.queryOptions({ orgId, keyId }));
        prefetchKeyUsage(orgId, keyId);
      } else {
        const state = parseListState(new URLSearchParams(search));
        void queryClient.prefetchQuery(trpc.key.list.queryOptions({ orgId, ...listInput(state) }));
      }
    })
    .catch(() => {
      // The screen asks again and shows the error itself.
    });
}
