/**
 * Space logos (issue 11): PNG, JPEG and allowlisted SVG uploads, checked by content and size,
 * stored in the database and served at a content-hash URL with a year's cache, `nosniff` and a
 * script-free CSP; another organization's space is not found.
 */
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLogoKind, MAX_LOGO_BYTES, svgProblem } from '../src/modules/space/space-logo.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture } from './key-fixtures.js';
import { fieldErrors, rejection } from './org-fixtures.js';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const SVG_OK =
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><defs><linearGradient id="g"><stop offset="0" stop-color="#4f46e5"/></linearGradient></defs><rect width="24" height="24" rx="6" fill="url(#g)"/><path d="M4 4h16v16H4z" fill="#fff"/></svg>';

let app: TestApp;
let base = '';
beforeAll(async () => {
  app = await createTestApp();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
});
afterAll(() => app.shutdown());

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('space logos', () => {
  it('stores a PNG, points the space at its hash URL and serves it cached for good', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const { logoUrl } = await c.space.uploadLogo({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      contentBase64: PNG_1PX,
    });
    expect(logoUrl).toMatch(/^\/logos\/[0-9a-f]{32}\.png$/);
    expect((await c.space.byId({ orgId: fx.orgId, spaceId: fx.spaceId })).logoUrl).toBe(logoUrl);
    const res = await fetch(`${base}${logoUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(PNG_1PX, 'base64'))).toBe(true);
    // The same hash with another extension, or an unknown hash, is not a logo.
    expect((await fetch(`${base}${logoUrl.replace('.png', '.svg')}`)).status).toBe(404);
    expect((await fetch(`${base}/logos/${'0'.repeat(32)}.png`)).status).toBe(404);
    // Saving the space's other settings keeps the uploaded logo.
    await c.space.update({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Renamed', logoUrl });
  });

  it('serves an allowlisted SVG with a CSP, and refuses SVGs that script, link out or embed', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const { logoUrl } = await c.space.uploadLogo({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      contentBase64: b64(SVG_OK),
    });
    const res = await fetch(`${base}${logoUrl}`);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const bad of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.example/)"/></svg>',
      '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,AAAA"/></svg>',
    ]) {
      const error = await rejection(
        c.space.uploadLogo({ orgId: fx.orgId, spaceId: fx.spaceId, contentBase64: b64(bad) }),
      );
      expect(error.code, bad).toBe('BAD_REQUEST');
      expect(fieldErrors(error).file, bad).toMatch(/export it as PNG|PNG, JPEG or SVG/);
    }
  });

  it('checks type by content and size, and never reaches another organization', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const gif = await rejection(
      c.space.uploadLogo({ orgId: fx.orgId, spaceId: fx.spaceId, contentBase64: b64('GIF89a....') }),
    );
    expect(fieldErrors(gif).file).toBe('Upload a PNG, JPEG or SVG image');
    const big = Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(MAX_LOGO_BYTES)]);
    const tooBig = await rejection(
      c.space.uploadLogo({ orgId: fx.orgId, spaceId: fx.spaceId, contentBase64: big.toString('base64') }),
    );
    expect(tooBig.code).toBe('BAD_REQUEST');
    const other = await createOrgFixture(app);
    const foreign = await rejection(
      c.space.uploadLogo({ orgId: fx.orgId, spaceId: other.spaceId, contentBase64: PNG_1PX }),
    );
    expect(foreign.code).toBe('NOT_FOUND');
  });

  it('never takes random bytes or text for an allowed SVG or image type it is not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const kind = detectLogoKind(bytes);
        if (kind === 'png') expect(bytes[0]).toBe(0x89);
        if (kind === 'jpg') expect(bytes[0]).toBe(0xff);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (junk) => {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg">${junk}</svg>`;
        if (svgProblem(svg) === null) {
          expect(svg.toLowerCase()).not.toMatch(/<script|onload|javascript:|<foreignobject/);
        }
      }),
    );
  });
});
