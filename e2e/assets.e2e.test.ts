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

/**
 * The built SPA as `./run start` serves it: precompressed at build time (brotli and gzip, chosen
 * by Accept-Encoding, `Vary: Accept-Encoding`), hashed assets cached for a year as immutable,
 * `index.html` revalidated on every visit, and the first screen's JavaScript within budget.
 */
describe('static assets of the built SPA', () => {
  let server: RunningServer;
  let html = '';

  beforeAll(async () => {
    server = await startServer();
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

  it('serves index.html with no-cache, for / and for deep links', async () => {
    for (const path of ['/', '/o/acme/keys', '/sign-in']) {
      const res = await get(`${server.url}${path}`, { accept: 'text/html', 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
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
    // What index.html loads up front: the entry and the chunks it preloads.
    const preloads = [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    let total = 0;
    for (const src of [entryScript(), ...preloads]) {
      total += (await get(`${server.url}${src}`, { 'accept-encoding': 'gzip' })).body.length;
    }
    expect(total).toBeLessThanOrEqual(200 * 1024);
  });

  it('answers an unknown asset with 404, not the SPA', async () => {
    const res = await get(`${server.url}/assets/nope-123.js`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
  });
});
