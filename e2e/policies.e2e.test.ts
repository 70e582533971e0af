import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyKeysmithSignature } from '../apps/api/src/modules/webhook/verify-signature.example.js';
import {
  ARTIFACTS_DIR,
  launchBrowser,
  newContext,
  pasteText,
  screenshot as saveScreenshot,
} from './support/browser.js';
import { startReceiver, type WebhookReceiver } from './support/receiver.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Key policies and leaked keys in the admin, end to end through the built product in Chromium
 * (issue 13): the owner sets the organization's key policy (reviewing what it does to the
 * existing root key before saving), tightens a space's policy, sees "Out of policy" in the keys
 * table and on the key's page; then pastes a full key, reports it as leaked, and sees the key
 * revoked, the security event with the URL, the notification, and the signed `key.leaked`
 * webhook at a local receiver. Screens at 1440×900 and 390×844 go to e2e/artifacts/policies-*.
 */

const POLL = { timeout: 15_000, interval: 250 };

describe('key policies and leaked keys in the admin', () => {
  let server: RunningServer;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `grace-${Date.now().toString(36)}@example.test`;
  const password = 'correct horse battery staple';
  const org = '/o/globex';
  let orgId = '';
  let spaceId = '';
  let secret = '';
  let leakyKey = '';
  let leakyKeyId = '';

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer(
      { WEBHOOK_ALLOW_PRIVATE: 'true' },
      { bootstrap: { org: 'Globex', email, password, name: 'Grace Hopper' } },
    );
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  async function trpc<T>(kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
    const response =
      kind === 'query'
        ? await context.request.get(
            `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          )
        : await context.request.post(`/trpc/${path}`, { data: input, headers: { origin: server.url } });
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  /**
   * Both viewports: the laptop one the tests run in, and a phone. Pages are taken whole;
   * dialogs as the screen shows them (a modal's backdrop covers the viewport only).
   */
  async function screenshots(name: string, options: { dialog?: boolean } = {}): Promise<void> {
    const take = async (suffix: string) => {
      if (options.dialog) {
        await page.screenshot({
          path: path.join(ARTIFACTS_DIR, `${name}-${suffix}.png`),
          animations: 'disabled',
        });
      } else {
        await page.evaluate(() => window.scrollTo(0, 0));
        await saveScreenshot(page, `${name}-${suffix}`);
      }
    };
    await take('1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await take('390');
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  async function dismissToasts(): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  it('signs in and registers a receiver for key.leaked', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${org}`);
    const me = await trpc<{ organizations: Array<{ id: string; slug: string }> }>(
      'query',
      'auth.me',
      undefined,
    );
    orgId = me.organizations.find((o) => o.slug === 'globex')?.id ?? '';
    spaceId = (await trpc<Array<{ id: string }>>('query', 'space.list', { orgId }))[0]?.id ?? '';
    const created = await trpc<{ secret: string }>('mutation', 'webhook.create', {
      orgId,
      url: receiver.url,
      events: ['key.leaked', 'key.revoked'],
    });
    secret = created.secret;
    expect(secret).toMatch(/^whsec_/);
  });

  it('reviews what the organization policy does to existing keys before saving it', async () => {
    await page.goto(`${org}/settings`);
    const card = page.getByRole('form', { name: 'Organization key policy' });
    await card.waitFor();
    await screenshots('policies-01-settings-empty');
    await card.getByLabel('Longest lifetime').fill('0');
    await card.getByRole('button', { name: 'Review and save' }).click();
    await card.getByText('Enter a whole number of days from 1 to 3650, or leave it empty').waitFor();
    await card.getByLabel('Longest lifetime').fill('90');
    await card.getByRole('checkbox', { name: 'Live keys must have an IP allowlist' }).check();
    await card.getByLabel('Remind to rotate keys older than').fill('90');
    await card.getByRole('radio', { name: 'Deactivate' }).check();
    await card.getByRole('radio', { name: 'Revoke' }).check();
    await card.getByRole('button', { name: 'Review and save' }).click();

    const review = page.getByRole('dialog', { name: 'Review the new key policy' });
    await review.waitFor();
    // The bootstrap's root key has no expiry and no allowlist: both are listed, and it keeps working.
    await review.getByText('1 key of 1 affected').waitFor();
    const affected = review.getByRole('list', { name: 'Keys affected by the new policy' });
    const root = affected.getByRole('listitem').filter({ hasText: 'Root key' }).first();
    await expect.poll(() => root.locator('.policy-impact__item').count(), POLL).toBe(2);
    expect(await review.textContent()).toContain('Keys here must expire within 90 days: set an expiry date');
    expect(await review.textContent()).toContain('Live keys here must have an IP allowlist');
    expect(await review.textContent()).toContain('Keeps working');
    await screenshots('policies-02-review', { dialog: true });
    await review.getByRole('button', { name: 'Save policy' }).click();
    await review.waitFor({ state: 'detached' });
    await page.getByText('Key policy saved').first().waitFor();
    const saved = await trpc<{ organization: { maxLifetimeDays: number | null }; leakResponse: string }>(
      'query',
      'keyPolicy.get',
      { orgId },
    );
    expect(saved.organization.maxLifetimeDays).toBe(90);
    expect(saved.leakResponse).toBe('revoke');
    await dismissToasts();
  });

  it("lets a space only tighten the organization's policy", async () => {
    await page.goto(`${org}/spaces/${spaceId}`);
    const card = page.getByRole('form', { name: 'Space key policy' });
    await card.waitFor();
    await card.getByLabel('Longest lifetime').fill('120');
    await card.getByRole('button', { name: 'Review and save' }).click();
    await card
      .getByText('The organization sets the longest key lifetime to 90 days; a space may only tighten it')
      .waitFor();
    await card.getByLabel('Longest lifetime').fill('30');
    await card.getByLabel('Deactivate keys unused for').fill('60');
    await card.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review the new key policy' });
    await review.getByText(/affected/).waitFor();
    await review.getByRole('button', { name: /^Save/ }).click();
    await review.waitFor({ state: 'detached' });
    await dismissToasts();
    await screenshots('policies-03-space-policy');
  });

  it('shows keys out of policy in the table and on the key page, and refuses new ones', async () => {
    await page.goto(`${org}/keys`);
    const root = page.locator('tbody tr').filter({ hasText: 'Root key' });
    await root.getByRole('img', { name: /^Out of policy: Keys here must expire within 30 days/ }).waitFor();
    await screenshots('policies-04-keys-table');

    // A live key without expiry or allowlist is refused, with the reason beside the field.
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Space').selectOption({ label: 'default' });
    // The rules are shown before anything is refused.
    await dialog
      .getByText('Keys must expire within 30 days · Live keys must have an IP allowlist', { exact: false })
      .waitFor();
    await dialog.getByLabel('Name').fill('Nightly export');
    await screenshots('policies-05-create-hint', { dialog: true });
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog
      .getByText(/Keys here must (expire within 30 days|have an expiry date)/)
      .first()
      .waitFor();
    await saveScreenshot(page, 'policies-05-create-refused-1440');
    await page.keyboard.press('Escape');

    await root.getByRole('link', { name: 'Root key' }).click();
    await page.getByRole('heading', { level: 2, name: 'Root key' }).waitFor();
    await page.getByText('Out of policy').first().waitFor();
    await page.getByText('The key keeps working.', { exact: false }).waitFor();
    await screenshots('policies-06-key-detail');
  });

  it('reports a pasted key as leaked: revoked at once, with a security event, a notification and a webhook', async () => {
    const created = await trpc<{ key: string; record: { id: string } }>('mutation', 'key.create', {
      orgId,
      spaceId,
      name: 'Partner sync',
      expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      ipAllowlist: ['203.0.113.0/24'],
    });
    leakyKey = created.key;
    leakyKeyId = created.record.id;

    await page.goto(`${org}/keys`);
    await page.locator('tbody tr').filter({ hasText: 'Partner sync' }).waitFor();
    await pasteText(page, 'body', `found in a gist: ${leakyKey}`);
    const dialog = page.getByRole('dialog', { name: /Looks like a Keysmith API key/ });
    await dialog.getByText('Partner sync').waitFor();
    await screenshots('policies-07-paste', { dialog: true });
    await dialog.getByRole('button', { name: 'Report as leaked' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Report this key as leaked?' });
    await confirm.getByLabel('Where was it exposed?').fill('https://gist.github.com/someone/0123abcd');
    await screenshots('policies-08-report-confirm', { dialog: true });
    await confirm.getByRole('button', { name: 'Report as leaked' }).click();
    await page.getByText('Partner sync is revoked').waitFor();

    // Refused at once over the API.
    const answer = await fetch(`${server.url}/v1/rate-limit`, {
      headers: { authorization: `Bearer ${leakyKey}` },
    });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('REVOKED');

    // The security event, with where it was found.
    await page.goto(`${org}/security`);
    const event = page.locator('.timeline__item[data-kind="key_leaked"]');
    await event.getByText('Partner sync was reported leaked by a member and revoked').waitFor();
    await event.getByText('https://gist.github.com/someone/0123abcd').waitFor();
    await dismissToasts();
    await screenshots('policies-09-security-event');

    // The notification.
    await page
      .getByRole('button', { name: /Notifications/ })
      .first()
      .click();
    await page.getByText('Partner sync was found in public').first().waitFor();
    await saveScreenshot(page, 'policies-10-notification-1440');
    await page.keyboard.press('Escape');

    // The signed webhook.
    await expect
      .poll(
        () =>
          receiver.received.filter(
            (r) => (JSON.parse(r.body.toString('utf8')) as { type: string }).type === 'key.leaked',
          ).length,
        POLL,
      )
      .toBe(1);
    const delivery = receiver.received.find(
      (r) => (JSON.parse(r.body.toString('utf8')) as { type: string }).type === 'key.leaked',
    );
    if (!delivery) throw new Error('no key.leaked delivery');
    const signature = String(delivery.headers['keysmith-signature'] ?? '');
    expect(verifyKeysmithSignature(delivery.body.toString('utf8'), signature, secret)).toBe(true);
    const payload = JSON.parse(delivery.body.toString('utf8')) as { data: Record<string, unknown> };
    expect(payload.data).toMatchObject({
      key_id: leakyKeyId,
      key_name: 'Partner sync',
      url: 'https://gist.github.com/someone/0123abcd',
      reported_by: 'member',
      response: 'revoke',
      action: 'revoked',
    });
    expect(delivery.body.toString('utf8')).not.toContain(leakyKey);
  });
});
