import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * The admin's second pass (issue 11) in Chromium: a keys table that fits at 1440 px with an
 * Expires column, filters and a ⋮ menu per row; phones (390 × 844) get card rows and a drawer
 * that closes with Escape; owners named by key; organization-wide request logs with filters
 * and CSV; grouped notifications that can be marked read; a webhook test event; logos that
 * fall back to initials. Screenshots land in e2e/artifacts/admin-*.png.
 */

/** For `expect.poll`: the SPA refetches on its own schedule. */
const POLL = { timeout: 20_000, interval: 250 };

/** A `node:http` receiver on 127.0.0.1 that records every request body and answers 204. */
async function startReceiver(): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/keysmith`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the admin at 1440 px and on a phone', () => {
  let server: RunningServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `linus-${Date.now().toString(36)}@example.test`;
  const password = 'correct horse battery staple';
  const slug = 'acme-robotics';
  const org = `/o/${slug}`;
  let orgId = '';
  let spaceId = '';
  let botKey = '';
  let checkoutKey = '';
  let checkoutId = '';

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer(
      { WEBHOOK_ALLOW_PRIVATE: 'true' },
      { bootstrap: { org: 'Acme Robotics', email, password, name: 'Linus Torvalds' } },
    );
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    const signIn = await context.request.post('/trpc/auth.signIn', {
      data: { email, password },
      headers: { origin: server.url },
    });
    expect(signIn.ok()).toBe(true);
    const me = await trpcQuery<{ organizations: Array<{ id: string; slug: string }> }>('auth.me');
    orgId = me.organizations.find((o) => o.slug === slug)?.id ?? '';
    spaceId = (await trpcQuery<Array<{ id: string }>>('space.list', { orgId }))[0]?.id ?? '';
    await seed();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  async function trpcQuery<T>(path: string, input?: unknown): Promise<T> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await context.request.get(`/trpc/${path}${query}`);
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  async function trpcMutation<T>(path: string, input: unknown): Promise<T> {
    const response = await context.request.post(`/trpc/${path}`, {
      data: input,
      headers: { origin: server.url },
    });
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  async function v1(path: string, key: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${server.url}/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Keys like the other e2e fixtures, a key made by a key, and traffic from several IPs. */
  async function seed(): Promise<void> {
    const bot = await trpcMutation<{ key: string }>('key.create', {
      orgId,
      spaceId,
      name: 'Deploy bot',
      category: 'production',
      scopes: ['keys:read', 'keys:write', 'keys:verify'],
    });
    botKey = bot.key;
    const checkout = await trpcMutation<{ key: string; record: { id: string } }>('key.create', {
      orgId,
      spaceId,
      name: 'Checkout backend',
      description: 'Charges cards for the web checkout',
      category: 'production',
      quotas: { daily: 1000 },
    });
    checkoutKey = checkout.key;
    checkoutId = checkout.record.id;
    const more: Array<Record<string, unknown>> = [
      { name: 'Payments worker', category: 'production', quotas: { daily: 50_000 } },
      {
        name: 'Payments reporting',
        environment: 'test',
        category: 'staging',
        quotas: { monthly: 2_000_000 },
      },
      { name: 'Partner sync', category: 'partner-integrations', quotas: { total: 10_000, weekly: 700 } },
      {
        name: 'Mobile app',
        category: 'development',
        expiresAt: new Date(Date.now() + 12 * 86_400_000).toISOString(),
      },
      {
        name: 'Legacy import',
        category: 'staging',
        expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
    ];
    for (const input of more) await trpcMutation('key.create', { orgId, spaceId, ...input });
    // Created through /v1 by the bot: its owner is the bot.
    await v1('/api-keys', botKey, { name: 'Made by the bot', category: 'development' });
    // Checkout is called from four IPs: its first IP is its own (once recorded), the other three are new.
    await v1('/keys/verify', botKey, { key: checkoutKey, ip: '203.0.113.10', endpoint: '/v1/orders/0' });
    for (let tries = 0; tries < 80; tries++) {
      const key = await trpcQuery<{ lastUsedIp: string | null }>('key.byId', { orgId, keyId: checkoutId });
      if (key.lastUsedIp === '203.0.113.10') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const [i, ip] of ['203.0.113.11', '203.0.113.12', '203.0.113.13'].entries()) {
      await v1('/keys/verify', botKey, { key: checkoutKey, ip, endpoint: `/v1/orders/${i + 1}` });
    }
    await v1('/keys/verify', botKey, {
      key: 'sk_live_notarealkey',
      ip: '198.51.100.20',
      endpoint: '/v1/refunds',
    });
  }

  function rows(): Locator {
    return page.locator('table.keys-table tbody tr:not(.skeleton-row)');
  }

  function row(name: string): Locator {
    return rows().filter({ has: page.getByRole('link', { name, exact: true }) });
  }

  async function openKeys(search = ''): Promise<void> {
    await page.goto(`${org}/keys${search}`);
    await row('Checkout backend').waitFor();
  }

  async function dismissToasts(): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  it('fits the keys table at 1440 × 900: no cell cut off, an Expires column, owners by name', async () => {
    await openKeys();
    await expect.poll(() => rows().count(), POLL).toBe(9);
    // Every element in a cell shows all of its content (nothing clipped or ellipsised).
    const cut = await page.locator('table.keys-table tbody').evaluate((tbody) =>
      Array.from(tbody.querySelectorAll('td, td *'))
        .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth)
        .map((el) => `${el.className}: ${el.textContent?.trim()}`),
    );
    expect(cut).toEqual([]);
    const overflow = await page
      .locator('.keys-table-container')
      .evaluate((element) => element.scrollWidth - element.clientWidth);
    const widths = await page
      .locator('table.keys-table thead th')
      .evaluateAll((ths) =>
        ths.map((th) => `${th.textContent}=${Math.round(th.getBoundingClientRect().width)}`),
      );
    expect(overflow, widths.join(' ')).toBeLessThanOrEqual(0);
    const headers = await page.locator('table.keys-table thead th').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(
      expect.arrayContaining(['Name', 'Space and owner', 'Category', 'Status', 'Expires', 'Quota']),
    );
    await row('Mobile app')
      .getByText(/^in (12|11) days$|^next week$|^in 2 weeks$/)
      .waitFor();
    // A key created by a key names that key as its owner.
    await row('Made by the bot').locator('.key-space__owner').getByText('Deploy bot').waitFor();
    await screenshot(page, 'admin-01-keys-1440');
  });

  it('filters by a custom category and by keys expiring within 30 days', async () => {
    await openKeys();
    const category = page.getByLabel('Category');
    await expect
      .poll(() => category.locator('option').allTextContents(), POLL)
      .toContain('partner-integrations');
    await category.selectOption('partner-integrations');
    await expect.poll(() => rows().count(), POLL).toBe(1);
    await row('Partner sync').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => rows().count(), POLL).toBe(9);

    await page.getByLabel('Status').selectOption({ label: 'Expiring within 30 days' });
    await expect.poll(() => rows().count(), POLL).toBe(1);
    await row('Mobile app').waitFor();
    expect(new URL(page.url()).searchParams.get('expiring')).toBe('30');
    await screenshot(page, 'admin-02-expiring-filter');
  });

  it('gives each row a ⋮ menu: copy the masked key, view details, revoke after confirmation', async () => {
    await openKeys();
    const partner = row('Partner sync');
    const preview = (await partner.locator('.key-preview').textContent())?.trim() ?? '';
    await partner.getByRole('button', { name: 'Actions for Partner sync' }).click();
    await page.getByRole('menuitem', { name: 'Copy masked preview' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(preview);

    await partner.getByRole('button', { name: 'Actions for Partner sync' }).click();
    await screenshot(page, 'admin-03-row-menu');
    await page.getByRole('menuitem', { name: 'View details' }).click();
    await page.getByRole('heading', { level: 2, name: 'Partner sync' }).waitFor();

    await openKeys();
    await row('Partner sync').getByRole('button', { name: 'Actions for Partner sync' }).click();
    await page.getByRole('menuitem', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke Partner sync?' });
    const confirm = dialog.getByRole('button', { name: 'Revoke key' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type Partner sync to confirm').fill('Partner sync');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await row('Partner sync').getByText('Revoked', { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${org}/keys`);
    await dismissToasts();
  });

  it('lists every request of the organization, filters by key, and exports the CSV', async () => {
    await page.goto(`${org}/keys/logs`);
    const logRows = page.locator('table.logs-table tbody tr[data-code]');
    await expect.poll(() => logRows.count(), POLL).toBeGreaterThanOrEqual(5);
    await page.getByLabel('Key', { exact: true }).selectOption({ label: 'Checkout backend' });
    await expect.poll(() => logRows.count(), POLL).toBe(4);
    for (const text of await logRows.locator('td.logs-table__key').allTextContents()) {
      expect(text).toBe('Checkout backend');
    }
    await page.getByLabel('Caller IP').fill('203.0.113.12');
    await expect.poll(() => logRows.count(), POLL).toBe(1);
    await screenshot(page, 'admin-04-org-logs');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(checkoutId);
    expect(lines[1]).toContain('203.0.113.12');
  });

  it('groups new IPs per key and day, filters by kind, and marks read', async () => {
    await page.goto(`${org}/notifications`);
    // The monitor writes new-IP events after its batch: reload until they are in.
    const grouped = page.getByText('Checkout backend was used from 3 new IPs');
    for (let tries = 0; tries < 20 && (await grouped.count()) === 0; tries++) {
      await page.reload();
      await page.locator('.notifications-list, .empty-state').first().waitFor();
    }
    await grouped.waitFor();
    await page.getByText('3 events').waitFor();
    await page.getByLabel('Kind').selectOption('key.new_ip');
    await expect.poll(() => page.locator('.notifications-list > li').count(), POLL).toBe(1);
    await screenshot(page, 'admin-05-notifications');
    const entry = page.locator('.notifications-list .notification').first();
    expect(await entry.getAttribute('class')).toContain('is-unread');
    await page
      .getByRole('button', { name: /^Mark as read: Checkout backend was used from 3 new IPs/ })
      .click();
    await expect.poll(() => entry.getAttribute('class'), POLL).not.toContain('is-unread');

    await page.getByLabel('Kind').selectOption('');
    const markAll = page.getByRole('button', { name: 'Mark all as read' });
    await markAll.click();
    await expect
      .poll(() => page.locator('.notifications-list .notification.is-unread').count(), POLL)
      .toBe(0);
    await expect.poll(() => markAll.isDisabled(), POLL).toBe(true);
    await screenshot(page, 'admin-05b-notifications-read');
  });

  it('sends a webhook test event and shows its delivery in the log', async () => {
    const created = await trpcMutation<{ endpoint: { id: string } }>('webhook.create', {
      orgId,
      url: receiver.url,
      events: ['key.revoked'],
    });
    await page.goto(`${org}/webhooks/${created.endpoint.id}`);
    await page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();
    await page.getByRole('button', { name: 'Send test event' }).first().click();
    const delivery = page.locator('table.deliveries-table tbody tr').filter({ hasText: 'Test event' });
    await expect.poll(() => delivery.getAttribute('data-status'), POLL).toBe('delivered');
    expect(receiver.bodies.some((body) => JSON.parse(body).type === 'webhook.test')).toBe(true);
    await dismissToasts();
    await screenshot(page, 'admin-06-webhook-test-event');
  });

  it('falls back to the initials when a logo image does not load', async () => {
    await trpcMutation('space.update', { orgId, spaceId, logoUrl: 'https://logo.invalid/default.png' });
    await openKeys();
    const logo = row('Checkout backend').locator('.col-space .monogram').first();
    await expect.poll(() => logo.locator('img').count(), POLL).toBe(0);
    expect((await logo.textContent())?.trim()).toMatch(/^[A-Z]{1,2}$/);
    await trpcMutation('space.update', { orgId, spaceId, logoUrl: null });
  });

  it('uploads a PNG logo in the space settings and shows it with the keys', async () => {
    await page.goto(`${org}/spaces/${spaceId}`);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    );
    await page
      .getByLabel('Upload a logo image')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.getByText('Logo uploaded').waitFor();
    await screenshot(page, 'admin-10-space-logo-uploaded');
    // A file that is not an image is refused by its content, whatever its name says.
    await page
      .getByLabel('Upload a logo image')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not a png') });
    await page.getByText('Upload a PNG, JPEG or SVG image').waitFor();
    await dismissToasts();

    await openKeys();
    const image = row('Checkout backend').locator('.col-space .monogram img');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^\/logos\/[0-9a-f]{32}\.png$/);
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth), POLL).toBe(1);
    await trpcMutation('space.update', { orgId, spaceId, logoUrl: null });
  });

  it('fits a phone: keys and request logs as cards, a drawer that closes with Escape', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openKeys();
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      const card = row('Checkout backend');
      for (const part of [
        '.key-name__link',
        '.key-preview',
        '.env-badge',
        '.col-status .badge',
        '.col-quota',
        '.col-last-used',
      ]) {
        const box = await card.locator(part).first().boundingBox();
        expect(box, part).not.toBeNull();
        expect(box && box.x >= 0 && box.x + box.width <= 390, part).toBe(true);
      }
      expect(await page.locator('.keys-table-container').evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(
        0,
      );
      await screenshot(page, 'admin-07-phone-keys');

      const menu = page.getByRole('button', { name: 'Open navigation' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await menu.click();
      const close = page.getByRole('button', { name: 'Close navigation' });
      expect(await close.getAttribute('aria-expanded')).toBe('true');
      await screenshot(page, 'admin-08-phone-drawer');
      await page.keyboard.press('Escape');
      await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');

      await page.goto(`${org}/keys/logs`);
      await page.locator('table.logs-table tbody tr[data-code]').first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      const first = page.locator('table.logs-table tbody tr[data-code]').first();
      const box = await first.boundingBox();
      expect(box && box.width <= 390).toBe(true);
      await screenshot(page, 'admin-09-phone-logs');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
