import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './support/server.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly the headers given (fetch would add its own Accept-Encoding and decode). */
function get(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const OWNER = { email: 'assets-owner@example.test', password: 'correct horse battery staple' };

/** Signs in over tRPC and returns the session cookie (`name=value`). */
async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(OWNER),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie;
}

/** The session the server rendered into a page, or `undefined` when the page carries none. */
function pageSession(page: string): unknown {
  const json = /<script type="application\/json" id="ks-session">([^<]*)<\/script>/.exec(page)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}

/**
 * The built SPA as `./run start` serves it: precompressed at build time (brotli and gzip, chosen
 * by Accept-Encoding, `Vary: Accept-Encoding`), hashed assets cached for a year as immutable,
 * `index.html` revalidated on every visit, and the first screen's JavaScript within budget.
 */
describe('static assets of the built SPA', () => {
  let server: RunningServer;
  let html = '';

  beforeAll(async () => {
    server = await startServer(
      {},
      { bootstrap: { org: 'Acme', email: OWNER.email, password: OWNER.password } },
    );
    html = (await get(`${server.url}/`, { accept: 'text/html' })).body.toString('utf8');
  });

  afterAll(async () => {
    await server?.stop();
  });

  const entryScript = () => {
    const src = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    if (!src) throw new Error(`no entry script in index.html:\n${html}`);
    return src;
  };

  it('serves the page with private, no-cache, varying by cookie, for / and for deep links', async () => {
    for (const path of ['/', '/o/acme/keys', '/sign-in']) {
      const res = await get(`${server.url}${path}`, { accept: 'text/html', 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('private, no-cache');
      expect(String(res.headers.vary).toLowerCase(), path).toContain('cookie');
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
    }
    // A HEAD (load balancers, uptime checks) answers like the GET, without the body.
    const head = await fetch(`${server.url}/`, { method: 'HEAD', headers: { accept: 'text/html' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await head.text()).toBe('');
  });

  it('renders the session into the page: the signed-in user for their cookie, null without one', async () => {
    const cookie = await signIn(server.url);
    const signedIn = await get(`${server.url}/o/acme/keys`, { accept: 'text/html', cookie });
    const me = pageSession(signedIn.body.toString('utf8')) as {
      user: { email: string };
      organizations: { slug: string }[];
    };
    expect(me.user.email).toBe(OWNER.email);
    expect(me.organizations.map((org) => org.slug)).toEqual(['acme']);
    // Exactly what auth.me answers to the same cookie.
    const answer = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
    expect(me).toEqual(((await answer.json()) as { result: { data: unknown } }).result.data);

    const signedOut = await get(`${server.url}/o/acme/keys`, { accept: 'text/html' });
    expect(pageSession(signedOut.body.toString('utf8'))).toBeNull();
    const forged = await get(`${server.url}/`, {
      accept: 'text/html',
      cookie: 'keysmith_session=not-a-session',
    });
    expect(pageSession(forged.body.toString('utf8'))).toBeNull();
  });

  it('preloads the chunks of the screen a URL opens, and only those', async () => {
    const modulePreloads = (page: string) =>
      [...page.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map((m) => m[1] ?? '');
    const keys = modulePreloads(
      (await get(`${server.url}/o/acme/keys/key_abc`, { accept: 'text/html' })).body.toString(),
    );
    const signInPage = modulePreloads(
      (await get(`${server.url}/sign-in`, { accept: 'text/html' })).body.toString(),
    );
    expect(keys.some((href) => /\/assets\/api-keys-page-[\w-]+\.js$/.test(href))).toBe(true);
    expect(signInPage.some((href) => href.includes('api-keys-page'))).toBe(false);
    for (const href of keys) {
      expect((await get(`${server.url}${href}`, {})).status, href).toBe(200);
    }
  });

  it('serves hashed assets as brotli, gzip or plain by Accept-Encoding, immutable for a year', async () => {
    const url = `${server.url}${entryScript()}`;
    const plain = await get(url, { 'accept-encoding': 'identity' });
    const brotli = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gzip = await get(url, { 'accept-encoding': 'gzip' });

    for (const res of [plain, brotli, gzip]) {
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding');
      expect(res.headers['content-type']).toMatch(/javascript/);
    }
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('compresses the stylesheet too', async () => {
    const href = /<link rel="stylesheet" crossorigin href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const res = await get(`${server.url}${href}`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/css/);
  });

  it('keeps the JavaScript of the first screen within 200 kB gzipped', async () => {
    // What the page loads up front: the entry and the chunks it preloads (the keys screen's
    // own among them when the URL opens that screen).
    for (const path of ['/', '/o/acme/keys']) {
      const page = (await get(`${server.url}${path}`, { accept: 'text/html' })).body.toString('utf8');
      const preloads = [...page.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map(
        (match) => match[1] ?? '',
      );
      let total = 0;
      for (const src of [entryScript(), ...preloads]) {
        total += (await get(`${server.url}${src}`, { 'accept-encoding': 'gzip' })).body.length;
      }
      expect(total, path).toBeLessThanOrEqual(200 * 1024);
    }
  });

  it('answers an unknown asset with 404, not the SPA', async () => {
    const res = await get(`${server.url}/assets/nope-123.js`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
  });
});
