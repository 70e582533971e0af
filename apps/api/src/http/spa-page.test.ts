import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpaPage, scriptSafeJson } from './spa-page.js';

const HTML = `<!doctype html><html><head><title>K</title>
<script type="module" crossorigin src="/assets/index-A.js"></script>
<link rel="modulepreload" crossorigin href="/assets/shared-B.js">
</head><body><div id="root"></div></body></html>`;

const MANIFEST = {
  'index.html': { file: 'assets/index-A.js', imports: ['_shared-B.js'] },
  '_shared-B.js': { file: 'assets/shared-B.js' },
  '_logs-C.js': { file: 'assets/logs-C.js', imports: ['_shared-B.js'], css: ['assets/logs-C.css'] },
  'src/features/api-keys/api-keys-page.tsx': {
    file: 'assets/api-keys-page-D.js',
    imports: ['_shared-B.js', '_logs-C.js'],
  },
  'src/features/members/members-page.tsx': { file: 'assets/members-page-E.js' },
};

const dist = mkdtempSync(path.join(tmpdir(), 'spa-page-'));
writeFileSync(path.join(dist, 'index.html'), HTML);
mkdirSync(path.join(dist, '.vite'));
writeFileSync(path.join(dist, '.vite', 'manifest.json'), JSON.stringify(MANIFEST));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const sessionOf = (page: string): unknown => {
  const json = /<script type="application\/json" id="ks-session">([^<]*)<\/script>/.exec(page)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
};

describe('scriptSafeJson', () => {
  it('reads back unchanged and never closes the script element, for any value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        const payload = { value, text: `${text}</script><!--\u2028\u2029&` };
        const json = scriptSafeJson(payload);
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
    );
  });
});

describe('loadSpaPage', () => {
  const page = loadSpaPage(dist);

  it("preloads the chunks and stylesheets of the URL's screen that the page does not already name", () => {
    const html = page.render('/o/acme/keys/key_123', undefined);
    const preloads = [...html.matchAll(/rel="modulepreload" crossorigin href="([^"]+)"/g)].map((m) => m[1]);
    expect(preloads).toEqual(['/assets/shared-B.js', '/assets/api-keys-page-D.js', '/assets/logs-C.js']);
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/logs-C.css">');
    expect(html.indexOf('api-keys-page-D.js')).toBeLessThan(html.indexOf('</head>'));
  });

  it('preloads nothing more for pages outside the organization screens', () => {
    for (const pathname of ['/', '/sign-in', '/o/acme/unknown']) {
      expect(page.render(pathname, undefined)).toBe(HTML);
    }
    expect(page.render('/o/acme/members', undefined)).toContain('/assets/members-page-E.js');
  });

  it('carries the session as given: the user, null when signed out, nothing when unknown', () => {
    const me = { user: { name: '</script><script>alert(1)</script>' }, organizations: [] };
    const html = page.render('/o/acme/keys', me);
    expect(sessionOf(html)).toEqual(me);
    expect(html).not.toContain('<script>alert(1)');
    expect(sessionOf(page.render('/', null))).toBeNull();
    expect(sessionOf(page.render('/', undefined))).toBeUndefined();
  });

  it('works without a manifest (an older build): no preloads, the session still rendered', () => {
    const bare = mkdtempSync(path.join(tmpdir(), 'spa-page-bare-'));
    try {
      writeFileSync(path.join(bare, 'index.html'), HTML);
      const html = loadSpaPage(bare).render('/o/acme/keys', null);
      expect(html).not.toContain('api-keys-page');
      expect(sessionOf(html)).toBeNull();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
