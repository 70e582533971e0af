import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  type Ref,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
} from 'react';
import { isPathActive, matchRoutes, type RouteDefinition, type RouteParams } from './route-matching';

export type { RouteParams } from './route-matching';
export { buildPath, matchPath, matchRoutes, safeRedirectPath } from './route-matching';

/**
 * A deliberately small router on the History API: the SPA has a handful of flat routes, so a
 * dependency would cost more than these ~150 lines. Location lives outside React and is read
 * with `useSyncExternalStore`, so every component sees the same location in a render.
 */

const NAVIGATE_EVENT = 'keysmith:navigate';

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

let cachedHref = '';
let cachedLocation: Location = { pathname: '/', search: '', hash: '' };

function readLocation(): Location {
  const { href, pathname, search, hash } = window.location;
  if (href !== cachedHref) {
    cachedHref = href;
    cachedLocation = { pathname, search, hash };
  }
  return cachedLocation;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (redirects, canonical URLs). */
  replace?: boolean;
}

/** Changes the URL and re-renders routed components. Scrolls to the top on a new page. */
export function navigate(to: string, options: NavigateOptions = {}): void {
  const current = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  if (to === current) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** The current location; re-renders on every navigation (including back/forward). */
export function useLocation(): Location {
  return useSyncExternalStore(subscribe, readLocation, readLocation);
}

/** Query-string parameters of the current location. */
export function useSearchParams(): URLSearchParams {
  const { search } = useLocation();
  return useMemo(() => new URLSearchParams(search), [search]);
}

const ParamsContext = createContext<RouteParams>({});

/** Parameters of the route that rendered this component (`:orgSlug` → `params.orgSlug`). */
export function useParams(): RouteParams {
  return useContext(ParamsContext);
}

export interface Route {
  path: string;
  render: (params: RouteParams) => ReactNode;
}

/** Renders the first route that matches the current path, or `fallback` when none does. */
export function Routes({ routes, fallback }: { routes: readonly Route[]; fallback: ReactNode }): ReactNode {
  const { pathname } = useLocation();
  const definitions = useMemo<RouteDefinition<Route>[]>(
    () => routes.map((route) => ({ path: route.path, value: route })),
    [routes],
  );
  const match = matchRoutes(definitions, pathname);
  if (!match) return fallback;
  return (
    <ParamsContext.Provider value={match.params}>{match.value.render(match.params)}</ParamsContext.Provider>
  );
}

/** Navigates (replacing the entry) as soon as it renders. */
export function Redirect({ to }: { to: string }): null {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return (
    event.button === 0 &&
    !event.metaKey &&
    !event.altKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.defaultPrevented
  );
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  replace?: boolean;
  /** Sets `aria-current="page"` when the link's target is the current page (or, with `prefix`, contains it). */
  activeMatch?: 'exact' | 'prefix';
  ref?: Ref<HTMLAnchorElement>;
}

/**
 * An `<a href>` that navigates in-app on a plain left click and leaves modified clicks
 * (new tab, download) and other targets to the browser.
 */
export function Link({ to, replace, activeMatch, onClick, target, ...rest }: LinkProps): ReactNode {
  const { pathname } = useLocation();
  const active = activeMatch ? isPathActive(to, pathname, activeMatch === 'prefix') : false;
  return (
    <a
      {...rest}
      href={to}
      target={target}
      // A link without `activeMatch` keeps the `aria-current` it was given (tabs decide it themselves).
      aria-current={active ? 'page' : rest['aria-current']}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainLeftClick(event) || (target && target !== '_self')) return;
        event.preventDefault();
        navigate(to, replace ? { replace } : {});
      }}
    />
  );
}
