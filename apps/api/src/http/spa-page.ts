import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The SPA's `index.html`, completed per request with what the first screen would otherwise
 * wait for (decision 0026):
 *
 * - `<link rel="modulepreload">` for the chunks of the screen the URL opens, so they load with
 *   the entry instead of after it has run (a screen's chunk and its imports are found in Vite's
 *   build manifest);
 * - the session, as `auth.me` would answer it, in `<script type="application/json"
 *   id="ks-session">`, so the screen's data is asked for as soon as the entry runs instead of
 *   one round trip later.
 *
 * The page carries the user's own session data, so it is `private, no-cache` and varies by
 * cookie; it never carries anything `auth.me` would not answer to the same cookie.
 */

/**
 * The page module behind each organization screen, by its URL segment under `/o/:slug`, as
 * `apps/web/src/features/shell/navigation.tsx` lazy-loads them. A screen missing here (or
 * renamed there) only loses its preload hint; `e2e/assets.e2e.test.ts` checks the keys screen's.
 */
const SECTION_PAGES: Readonly<Record<string, string>> = {
  '': 'src/features/overview/overview-page.tsx',
  keys: 'src/features/api-keys/api-keys-page.tsx',
  spaces: 'src/features/spaces/spaces-page.tsx',
  members: 'src/features/members/members-page.tsx',
  'audit-log': 'src/features/audit-log/audit-log-page.tsx',
  security: 'src/features/security/security-page.tsx',
  webhooks: 'src/features/webhooks/webhooks-page.tsx',
  settings: 'src/features/settings/settings-page.tsx',
  notifications: 'src/features/notifications/notifications-page.tsx',
};

const SECTION = /^\/o\/[^/]+\/?([^/?#]*)/;

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

export interface SpaPage {
  /**
   * The page for `pathname`. `session` is `auth.me`'s answer for the request (`null` when
   * signed out); `undefined` leaves it out and the SPA asks for it itself.
   */
  render(pathname: string, session: unknown): string;
}

/**
 * JSON that is safe inside a `<script>` element: no `<` (so no `</script>` or `<!--`), and
 * the two line terminators JavaScript once refused, escaped. `JSON.parse` reads it unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The files a chunk needs: its own, those it imports (transitively) and their stylesheets. */
function closure(manifest: Manifest, key: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    const chunk = manifest[k];
    if (!chunk) return;
    scripts.push(chunk.file);
    for (const css of chunk.css ?? []) if (!styles.includes(css)) styles.push(css);
    for (const next of chunk.imports ?? []) visit(next);
  };
  visit(key);
  return { scripts, styles };
}

/** Reads `index.html` and Vite's manifest from the build once; renders pages from memory. */
export function loadSpaPage(webDist: string): SpaPage {
  const html = readFileSync(path.join(webDist, 'index.html'), 'utf8');
  const manifestPath = path.join(webDist, '.vite', 'manifest.json');
  const manifest: Manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)
    : {};
  const head = html.lastIndexOf('</head>');
  const [before, after] = head === -1 ? [html, ''] : [html.slice(0, head), html.slice(head)];

  // The tags per section, worked out once: the build does not change while the server runs.
  const preloads = new Map<string, string>();
  for (const [segment, source] of Object.entries(SECTION_PAGES)) {
    const { scripts, styles } = closure(manifest, source);
    const tags = [
      ...styles
        .filter((f) => !html.includes(`/${f}"`))
        .map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
      ...scripts
        .filter((f) => !html.includes(`/${f}"`))
        .map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
    ];
    preloads.set(segment, tags.join(''));
  }

  return {
    render(pathname, session) {
      const segment = SECTION.exec(pathname)?.[1];
      const links = segment === undefined ? '' : (preloads.get(segment) ?? '');
      const data =
        session === undefined
          ? ''
          : `<script type="application/json" id="ks-session">${scriptSafeJson(session)}</script>`;
      return `${before}${links}${data}${after}`;
    },
  };
}
