import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyKeysmithSignature } from '../apps/api/src/modules/webhook/verify-signature.example.js';
import { launchBrowser, newContext, screenshot as saveScreenshot } from './support/browser.js';
import { startReceiver, type WebhookReceiver } from './support/receiver.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Monitoring in the admin, end to end through the built product in Chromium (issue 6): an
 * owner registers a local webhook receiver for `key.quota_exceeded` and creates a key with a
 * daily quota of 3 in the SPA; the test drives the key past its quota over the REST API; then
 * the security screen, the notification bell and the key's usage, chart and logs show it, and
 * the receiver gets a delivery whose signature verifies with the documented snippet. Along the
 * way it fills the other monitoring screens (blocked IPs with an audited unblock, failed auth,
 * new IPs, audit log, space logs, overview) and screenshots each into e2e/artifacts/monitoring-*.
 */

/** A full-page screenshot from the top, so the sticky sidebar and top bar sit where they belong. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

/** For `expect.poll`: the SPA refetches on its own schedule, so give it a fair deadline. */
const POLL = { timeout: 15_000, interval: 250 };

/** Retries `attempt` until it stops throwing, or rethrows its last failure after `timeoutMs`. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 30_000, pauseMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

describe('monitoring in the admin', () => {
  let server: RunningServer;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `ada-${Date.now().toString(36)}@example.test`;
  const password = 'correct horse battery staple';
  const slug = 'acme-robotics';
  const org = `/o/${slug}`;
  let orgId = '';
  let spaceId = '';
  let secret = '';
  let endpointId = '';
  let probeKey = '';
  let probeKeyId = '';

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer(
      {
        // The receiver listens on loopback over plain http, which only this setting allows (§7).
        WEBHOOK_ALLOW_PRIVATE: 'true',
        // Three failed attempts block an IP, so the blocked-IP screen can be filled quickly.
        IP_BLOCK_MAX_FAILURES: '3',
      },
      { bootstrap: { org: 'Acme Robotics', email, password, name: 'Ada Lovelace' } },
    );
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
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

  /** `POST /v1/keys/verify` on behalf of a consumer at `ip`, as an organization's backend calls it. */
  async function verify(callerKey: string, key: string, ip: string): Promise<{ code: string }> {
    const response = await fetch(`${server.url}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, ip, endpoint: '/v1/orders' }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { code: string };
  }

  async function dismissToasts(): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  function logRows(): Locator {
    return page.locator('table.logs-table tbody tr[data-code]');
  }

  it('signs in as the bootstrapped owner', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${org}`);
    const me = await trpcQuery<{ organizations: Array<{ id: string; slug: string }> }>('auth.me');
    orgId = me.organizations.find((o) => o.slug === slug)?.id ?? '';
    const spaces = await trpcQuery<Array<{ id: string }>>('space.list', { orgId });
    spaceId = spaces[0]?.id ?? '';
    expect(orgId).not.toBe('');
    expect(spaceId).not.toBe('');
  });

  it('registers the local receiver as a webhook endpoint for key.quota_exceeded', async () => {
    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: 'Webhooks' })
      .click();
    await page.getByRole('heading', { name: 'No webhook endpoints' }).waitFor();
    await page.getByRole('button', { name: 'Verify signatures' }).waitFor();
    await page.getByText('verifyKeysmithSignature(', { exact: false }).first().waitFor();
    await screenshot(page, 'monitoring-01-webhooks-empty');

    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook endpoint' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByText('Enter the URL that receives the events').waitFor();
    await dialog.getByText('Choose at least one event').waitFor();
    await dialog.getByLabel('Endpoint URL').fill(receiver.url);
    await dialog.getByLabel('Description').fill('Local receiver of the monitoring test');
    await dialog.getByRole('checkbox', { name: /^Quota exceeded/ }).check();
    await screenshot(page, 'monitoring-02-webhook-create');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();

    const reveal = page.getByRole('dialog', { name: 'Endpoint added' });
    await reveal.waitFor();
    secret = (await reveal.getByTestId('revealed-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await reveal.getByText("Copy this signing secret now. It won't be shown again.").waitFor();
    await reveal.getByRole('button', { name: 'Copy signing secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.keyboard.press('Escape');
    expect(await reveal.isVisible()).toBe(true);
    await screenshot(page, 'monitoring-03-webhook-secret-once');
    await reveal.getByRole('button', { name: 'I have copied it' }).click();

    await page.waitForURL(/\/webhooks\/[^/]+$/);
    endpointId = page.url().split('/').pop() ?? '';
    await page.getByRole('heading', { level: 2, name: receiver.url }).waitFor();
    await page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await dismissToasts();
    await screenshot(page, 'monitoring-04-webhook-detail-empty');
  });

  it('creates a key with a daily quota of 3 in the SPA', async () => {
    await page.goto(`${org}/keys`);
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.waitFor();
    // The dialog may open before the spaces have loaded; choose the space rather than rely on the default.
    await dialog.getByLabel('Space').selectOption({ label: 'default' });
    await dialog.getByLabel('Name').fill('Quota probe');
    await dialog.getByLabel('Daily').fill('3');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'Your API key is ready' });
    await reveal.waitFor();
    probeKey = (await reveal.getByTestId('revealed-key').textContent())?.trim() ?? '';
    expect(probeKey).toMatch(/^sk_live_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}$/);
    probeKeyId = `key_${probeKey.slice('sk_live_'.length, 'sk_live_'.length + 16)}`;
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'detached' });

    // Before any call: exact zeros from the server, the empty chart and the empty logs.
    await page.goto(`${org}/keys/${probeKeyId}`);
    await expect.poll(() => page.getByTestId('quota-daily').textContent(), POLL).toBe('0 / 3 used');
    await page.getByText('No requests in the last 24 hours').waitFor();
    await page.getByRole('heading', { name: 'No requests yet' }).waitFor();
    await dismissToasts();
    await screenshot(page, 'monitoring-05-key-detail-unused');
  });

  it('drives the key past its daily quota through the REST API', async () => {
    const answers: Array<{ status: number; code: string | undefined }> = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${server.url}/v1/rate-limit`, {
        headers: { authorization: `Bearer ${probeKey}` },
      });
      const body = (await response.json()) as { code?: string };
      answers.push({ status: response.status, code: body.code });
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 401]);
    expect(answers.slice(3).map((a) => a.code)).toEqual(['QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
  });

  it('shows the exhausted quota in the keys table', async () => {
    await page.goto(`${org}/keys`);
    const row = page.locator('tbody tr').filter({ hasText: 'Quota probe' });
    await row.waitFor();
    const meter = row.getByRole('meter', { name: 'daily quota used' });
    await expect.poll(() => meter.getAttribute('aria-valuenow'), POLL).toBe('3');
    expect(await meter.getAttribute('aria-valuemax')).toBe('3');
    expect(await row.textContent()).toContain('3 / 3');
    expect(await row.textContent()).not.toContain('Never');
    await screenshot(page, 'monitoring-05b-keys-table-quota');
  });

  it('shows the quota-exceeded event on the security screen', async () => {
    await eventually(async () => {
      await page.goto(`${org}/security?tab=quota`);
      await page.getByRole('link', { name: 'Quota probe' }).waitFor({ timeout: 2000 });
    });
    const row = page.locator('tbody tr').filter({ has: page.getByRole('link', { name: 'Quota probe' }) });
    expect(await row.getByText('Daily', { exact: true }).count()).toBe(1);
    expect(await row.locator('td').nth(3).textContent()).toBe('3');
    await screenshot(page, 'monitoring-06-security-quota');

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByText('Quota probe ran out of its daily quota of 3').waitFor();
    await screenshot(page, 'monitoring-07-security-activity');
  });

  it('rings the bell with the quota notification, and the dot clears once seen', async () => {
    await page.goto(org);
    const dot = page.getByTestId('notification-dot');
    await eventually(async () => {
      await page.reload();
      await dot.waitFor({ timeout: 2000 });
    });
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const panel = page.getByRole('region', { name: 'Recent notifications' });
    await panel.getByText('Quota probe ran out of its daily quota').waitFor();
    await panel.getByText('All 3 credits are used; requests are refused until credits free up.').waitFor();
    await screenshot(page, 'monitoring-08-bell-open');
    await dot.waitFor({ state: 'detached' });

    await panel.getByRole('link', { name: /Quota probe ran out of its daily quota/ }).click();
    await page.waitForURL(`**${org}/keys/${probeKeyId}`);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Quota probe' }).waitFor();
    expect(await dot.count()).toBe(0);
  });

  it('shows used 3 / 3 on the key, and the refused requests in its chart and logs', async () => {
    await expect.poll(() => page.getByTestId('quota-daily').textContent(), POLL).toBe('3 / 3 used');
    const daily = page.locator('.usage-list__row[data-window="daily"]');
    await daily.getByText('Exhausted').waitFor();
    await daily.getByText(/^in 2[34] h( \d+ min)?$/).waitFor();
    await expect.poll(() => page.getByTestId('chart-admitted').textContent(), POLL).toBe('3');
    expect(await page.getByTestId('chart-refused').textContent()).toBe('2');
    await expect.poll(() => logRows().count(), POLL).toBe(5);
    expect(await page.locator('table.logs-table tbody tr[data-code="QUOTA_EXCEEDED"]').count()).toBe(2);
    expect(await page.locator('table.logs-table tbody tr[data-code="VALID"]').count()).toBe(3);

    // Hovering the current hour's bar shows its exact counts.
    const svg = page.locator('svg.usage-chart__svg');
    const box = await svg.boundingBox();
    if (!box) throw new Error('chart not rendered');
    await page.mouse.move(box.x + box.width - 14, box.y + box.height / 2);
    const tooltip = page.locator('.usage-chart__tooltip');
    await tooltip.waitFor();
    expect(await tooltip.locator('dd').allTextContents()).toEqual(['3', '2', '3']);
    await screenshot(page, 'monitoring-09-key-usage-exhausted');
    await page.mouse.move(0, 0);

    await page.getByRole('radio', { name: '30 d' }).check();
    await expect.poll(() => page.locator('.usage-chart__axis text').count(), POLL).toBe(6);
    expect(await page.getByTestId('chart-refused').textContent()).toBe('2');

    await page.getByLabel('Outcome').selectOption('QUOTA_EXCEEDED');
    await expect.poll(() => logRows().count(), POLL).toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'id,time,key_id,key_name,space_id,method,endpoint,status,duration_ms,ip,credits,code',
    );
    expect(lines).toHaveLength(3);
    expect(
      lines.slice(1).every((line) => line.endsWith(',QUOTA_EXCEEDED') && line.includes(probeKeyId)),
    ).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^request-logs_.*\.csv$/);
    await screenshot(page, 'monitoring-10-key-logs-filtered');
    await dismissToasts();
  });

  it('delivered a signed key.quota_exceeded event that the documented snippet verifies', async () => {
    const delivery = await eventually(async () => {
      const found = receiver.received.find((r) => r.headers['keysmith-event-type'] === 'key.quota_exceeded');
      if (!found) throw new Error(`no delivery yet (${receiver.received.length} requests)`);
      return found;
    });
    const header = delivery.headers['keysmith-signature'];
    expect(typeof header).toBe('string');
    expect(
      verifyKeysmithSignature(delivery.body, typeof header === 'string' ? header : undefined, secret),
    ).toBe(true);
    expect(
      verifyKeysmithSignature(delivery.body, typeof header === 'string' ? header : undefined, 'whsec_wrong'),
    ).toBe(false);
    const event = JSON.parse(delivery.body.toString('utf8')) as {
      id: string;
      type: string;
      organization_id: string;
      data: Record<string, unknown>;
    };
    expect(event.type).toBe('key.quota_exceeded');
    expect(event.organization_id).toBe(orgId);
    expect(event.data).toMatchObject({
      key_id: probeKeyId,
      key_name: 'Quota probe',
      window: 'daily',
      limit: 3,
    });
    expect(delivery.headers['keysmith-event-id']).toBe(event.id);
    // Only the subscribed event type is delivered.
    expect(receiver.received.every((r) => r.headers['keysmith-event-type'] === 'key.quota_exceeded')).toBe(
      true,
    );

    await page.goto(`${org}/webhooks/${endpointId}`);
    const row = page.locator('.deliveries-table tbody tr[data-status]').first();
    await eventually(async () => {
      await page.reload();
      await row.getByText('Delivered').waitFor({ timeout: 2000 });
    });
    await row.getByText('204', { exact: true }).waitFor();
    await screenshot(page, 'monitoring-11-webhook-delivered');

    const before = receiver.received.length;
    await row.getByRole('button', { name: `Redeliver ${event.id}` }).click();
    await page.getByText('Redelivery queued').waitFor();
    const again = await eventually(async () => {
      const next = receiver.received[before];
      if (!next) throw new Error('no redelivery yet');
      return next;
    });
    expect(again.headers['keysmith-event-id']).toBe(event.id);
    expect(again.headers['keysmith-delivery-id']).not.toBe(delivery.headers['keysmith-delivery-id']);
    const againHeader = again.headers['keysmith-signature'];
    expect(
      verifyKeysmithSignature(again.body, typeof againHeader === 'string' ? againHeader : undefined, secret),
    ).toBe(true);
    await expect
      .poll(() => page.locator('.deliveries-table tbody tr[data-status="delivered"]').count(), POLL)
      .toBe(2);
    await dismissToasts();
    await page.getByRole('button', { name: 'Verify signatures' }).click();
    await page.getByRole('radio', { name: 'Python' }).check();
    await page.getByText('def verify_keysmith_signature(').waitFor();
    await screenshot(page, 'monitoring-12-webhook-redelivered');
  });

  it('blocks an IP after failed attempts, and the owner unblocks it (audited)', async () => {
    const verifier = await trpcMutation<{ key: string }>('key.create', {
      orgId,
      spaceId,
      name: 'Backend verifier',
      scopes: ['keys:verify'],
    });
    const legacy = await trpcMutation<{ key: string; record: { id: string } }>('key.create', {
      orgId,
      spaceId,
      name: 'Legacy import',
      scopes: [],
    });
    // A key used from a second IP (new IP), then revoked and still tried (failed auth).
    expect((await verify(verifier.key, legacy.key, '203.0.113.10')).code).toBe('VALID');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await verify(verifier.key, legacy.key, '203.0.113.20')).code).toBe('VALID');
    await trpcMutation('key.revoke', { orgId, keyId: legacy.record.id });
    await eventually(async () => {
      expect((await verify(verifier.key, legacy.key, '203.0.113.66')).code).toBe('REVOKED');
    });
    expect((await verify(verifier.key, legacy.key, '203.0.113.66')).code).toBe('REVOKED');
    // Made-up keys from one consumer IP, reported by this organization's backend: blocked after 3.
    for (let i = 0; i < 3; i++) {
      expect((await verify(verifier.key, 'sk_live_made.up', '198.51.100.7')).code).toBe('INVALID');
    }
    expect((await verify(verifier.key, 'sk_live_made.up', '198.51.100.7')).code).toBe('IP_BLOCKED');

    await eventually(async () => {
      await page.goto(`${org}/security?tab=blocked`);
      await page.getByRole('cell', { name: '198.51.100.7' }).waitFor({ timeout: 2000 });
    });
    await screenshot(page, 'monitoring-13-security-blocked');
    await page.getByRole('button', { name: 'Unblock' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Unblock 198.51.100.7?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Unblock IP' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'No blocked IPs' }).waitFor();
    // Unblocked: the next attempt is judged on its own again.
    expect((await verify(verifier.key, 'sk_live_made.up', '198.51.100.7')).code).toBe('INVALID');
    await dismissToasts();

    await page.getByRole('link', { name: 'Failed auth' }).click();
    const failed = page.locator('tbody tr').filter({ has: page.getByRole('cell', { name: '203.0.113.66' }) });
    await eventually(async () => {
      await page.reload();
      await failed.waitFor({ timeout: 2000 });
    });
    await failed.getByText('Revoked').waitFor();
    // The revoked key's attempts name it, linked by name.
    await failed.getByRole('link', { name: 'Legacy import' }).waitFor();
    // Made-up keys are visible before any block: the unblocked IP reads "Not blocked" with its codes…
    const unblocked = page
      .locator('tbody tr')
      .filter({ has: page.getByRole('button', { name: '198.51.100.7' }) });
    await unblocked.getByText('Invalid key').waitFor();
    await unblocked.getByText('Not blocked').waitFor();
    // …and an IP blocked now says until when, linking to the blocked list.
    for (let i = 0; i < 3; i++) {
      expect((await verify(verifier.key, 'sk_live_made.up', '198.51.100.8')).code).toBe('INVALID');
    }
    const blockedRow = page
      .locator('tbody tr')
      .filter({ has: page.getByRole('button', { name: '198.51.100.8' }) });
    await eventually(async () => {
      await page.reload();
      await blockedRow.getByRole('link', { name: /^Blocked until/ }).waitFor({ timeout: 2000 });
    });
    expect(await blockedRow.getByRole('cell').nth(1).textContent()).toBe('3');
    // Rate-limit hits per key: the quota probe's two refusals.
    const hits = page.getByRole('table', { name: 'Rate-limit hits per key' });
    await hits.getByRole('link', { name: 'Quota probe' }).waitFor();
    // Clicking an IP filters the table to it.
    await unblocked.getByRole('button', { name: '198.51.100.7' }).click();
    await expect
      .poll(
        () => page.getByRole('table', { name: 'Failed authentication by IP' }).locator('tbody tr').count(),
        POLL,
      )
      .toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await blockedRow.waitFor();
    await screenshot(page, 'monitoring-14-security-failed-auth');
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      // Opened on a phone, the tab row scrolls the open tab into view.
      await page.reload();
      await blockedRow.waitFor();
      const tabs = page.getByRole('navigation', { name: 'Security sections' });
      const open = tabs.getByRole('link', { name: 'Failed auth' });
      await expect
        .poll(async () => {
          const [row, tab] = [await tabs.boundingBox(), await open.boundingBox()];
          return row && tab ? tab.x >= row.x && tab.x + tab.width <= row.x + row.width + 1 : false;
        }, POLL)
        .toBe(true);
      await screenshot(page, 'monitoring-14b-phone-security-failed-auth');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    await page.getByRole('link', { name: 'New IPs' }).click();
    await eventually(async () => {
      await page.reload();
      await page.getByRole('cell', { name: '203.0.113.20' }).waitFor({ timeout: 2000 });
    });
    await screenshot(page, 'monitoring-15-security-new-ips');

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByText(`198.51.100.7 was unblocked by ${email}`).waitFor();
    await page.getByText('198.51.100.7 was blocked after 3 failed attempts in 5 minutes').waitFor();
    await screenshot(page, 'monitoring-16-security-activity-full');
  });

  it('shows the audit log with actors, diffs, filters and export', async () => {
    await page.goto(`${org}/audit-log`);
    const rows = page.locator('table.audit-table tbody tr.audit-row');
    await page.getByText('Unblocked IP address').waitFor();
    await page.getByText('Added webhook endpoint').waitFor();
    await page.getByText('Redelivered webhook event').waitFor();
    const created = rows.filter({ has: page.getByText('Created API key') }).filter({
      has: page.getByRole('link', { name: 'Quota probe' }),
    });
    await created.getByRole('button', { name: 'Show changes' }).click();
    await page.locator('.audit-detail').getByText('Quotas › daily').waitFor();
    const revoked = rows.filter({ has: page.getByText('Revoked API key') });
    await revoked.getByRole('button', { name: 'Show changes' }).click();
    await page.locator('.audit-detail').getByText('Revoked at').waitFor();
    await screenshot(page, 'monitoring-17-audit-log');

    await page.getByLabel('Action').selectOption('webhook.');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    expect(await rows.getByText('webhook.create', { exact: true }).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.trim().split(/\r?\n/)).toHaveLength(3);
    expect(csv).not.toContain(secret);
    await dismissToasts();
    await screenshot(page, 'monitoring-18-audit-log-filtered');
  });

  it('lists the logs of a space, with the key of each request', async () => {
    await page.goto(`${org}/spaces/${spaceId}`);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL(`**/spaces/${spaceId}/logs`);
    // The quota probe's 5 calls and at least 4 verified uses of Legacy import; the verifier's own
    // verify calls are counted per minute, not listed (§5).
    await expect.poll(() => logRows().count(), POLL).toBeGreaterThanOrEqual(9);
    await page.getByRole('link', { name: 'Legacy import' }).first().waitFor();
    await page.getByLabel('Caller IP').fill('203.0.113.66');
    await expect.poll(() => logRows().count(), POLL).toBe(2);
    await screenshot(page, 'monitoring-19-space-logs');
  });

  it('shows the busiest keys and plan headroom on the overview', async () => {
    await page.goto(org);
    await page.getByRole('heading', { name: 'Busiest keys' }).waitFor();
    const busiest = page.locator('.busiest-list__row');
    await busiest.getByRole('link', { name: 'Quota probe' }).waitFor();
    expect(await busiest.filter({ hasText: 'Quota probe' }).getByText('2 refused').count()).toBe(1);
    await page.getByRole('heading', { name: 'Plan limits' }).waitFor();
    await screenshot(page, 'monitoring-20-overview');
  });

  it('fits a phone screen: the key usage and the bell', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${org}/keys/${probeKeyId}`);
    await expect.poll(() => page.getByTestId('quota-daily').textContent(), POLL).toBe('3 / 3 used');
    await expect.poll(() => page.getByTestId('chart-refused').textContent(), POLL).toBe('2');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'monitoring-22-phone-key-usage');
    await page.getByRole('button', { name: /^Notifications/ }).click();
    const panel = page.getByRole('region', { name: 'Recent notifications' });
    await panel.getByText('Quota probe ran out of its daily quota').waitFor();
    const box = await panel.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await saveScreenshot(page, 'monitoring-23-phone-bell');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('lists every notification on the notifications page', async () => {
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page
      .getByRole('region', { name: 'Recent notifications' })
      .getByRole('link', { name: 'View all' })
      .click();
    await page.waitForURL(`**${org}/notifications`);
    await page.getByText('Quota probe ran out of its daily quota').waitFor();
    await page.getByText('198.51.100.7 was blocked').waitFor();
    await page.getByText('Legacy import was revoked').waitFor();
    await screenshot(page, 'monitoring-21-notifications');
  });
});
