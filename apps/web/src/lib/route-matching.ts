/**
 * Pure path matching for the SPA router, kept apart from React so it can be tested in Node.
 *
 * Pattern syntax: static segments (`/settings`), named parameters (`/o/:orgSlug`) and a
 * trailing splat (`/docs/*`, captured as the `*` parameter). Matching ignores a trailing
 * slash and is case-sensitive, like the server's URLs.
 */

export type RouteParams = Readonly<Record<string, string>>;

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Matches `pathname` against `pattern`; returns the decoded parameters, or `null` when it
 * does not match (including when a parameter is not valid percent-encoding).
 */
export function matchPath(pattern: string, pathname: string): RouteParams | null {
  const wanted = segmentsOf(pattern);
  const actual = segmentsOf(pathname);
  const params: Record<string, string> = {};

  for (let i = 0; i < wanted.length; i++) {
    const part = wanted[i];
    if (part === undefined) return null;
    if (part === '*') {
      if (i !== wanted.length - 1) throw new Error(`Splat must be the last segment of "${pattern}"`);
      const rest = actual.slice(i).map(decodeSegment);
      if (rest.some((segment) => segment === null)) return null;
      params['*'] = rest.join('/');
      return params;
    }
    const segment = actual[i];
    if (segment === undefined) return null;
    if (part.startsWith(':')) {
      const value = decodeSegment(segment);
      if (value === null || value.length === 0) return null;
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return null;
    }
  }
  return actual.length === wanted.length ? params : null;
}

export interface RouteDefinition<T> {
  path: string;
  value: T;
}

export interface RouteMatch<T> {
  path: string;
  value: T;
  params: RouteParams;
}

/** The first route (in declaration order) whose pattern matches, or `null`. */
export function matchRoutes<T>(
  routes: readonly RouteDefinition<T>[],
  pathname: string,
): RouteMatch<T> | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { path: route.path, value: route.value, params };
  }
  return null;
}

/**
 * Fills a pattern with parameters (`buildPath('/o/:orgSlug/keys', { orgSlug: 'acme' })`),
 * percent-encoding each one. Throws when a parameter is missing: a broken link is a bug.
 */
export function buildPath(pattern: string, params: Record<string, string> = {}): string {
  const built = segmentsOf(pattern).map((part) => {
    if (!part.startsWith(':')) return part;
    const value = params[part.slice(1)];
    if (value === undefined) throw new Error(`Missing parameter "${part.slice(1)}" for "${pattern}"`);
    return encodeURIComponent(value);
  });
  return `/${built.join('/')}`;
}

/**
 * Whether a link to `target` should look active at `pathname`: exactly, or (with `prefix`)
 * when `pathname` lies below it (`/o/acme/keys/key_1` is inside `/o/acme/keys`).
 */
export function isPathActive(target: string, pathname: string, prefix: boolean): boolean {
  const a = `/${segmentsOf(target).join('/')}`;
  const b = `/${segmentsOf(pathname).join('/')}`;
  if (a === b) return true;
  return prefix && b.startsWith(a === '/' ? a : `${a}/`);
}

/**
 * Accepts only same-site relative paths for post-sign-in redirects (`?next=`), so a crafted
 * link cannot send a user to another site after they sign in.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
