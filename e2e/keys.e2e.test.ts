import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, pasteText, screenshot } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * The API key lifecycle in the admin, through the built product in Chromium: an operator
 * bootstraps Keysmith (owner, team-plan organization, `default` space, root key), signs in,
 * and then creates, finds, rolls, revokes and deletes keys. The full key must be shown exactly
 * once and never again: not after closing the dialog, not after a reload, not in the URL or
 * storage. Screenshots of every state land in e2e/artifacts/keys-*.png for design review.
 */
describe('API keys in the admin', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `grace-${Date.now().toString(36)}@example.test`;
  const password = 'correct horse battery staple';
  const orgSlug = 'acme-robotics';
  const keysPath = `/o/${orgSlug}/keys`;
  /** The full key of "Checkout backend", captured from the one-time reveal. */
  let createdKey = '';
  let createdKeyId = '';
  let rolledKeyId = '';

  beforeAll(async () => {
    server = await startServer(
      {},
      { bootstrap: { org: 'Acme Robotics', email, password, name: 'Grace Hopper' } },
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
  });

  /** A tRPC call over HTTP with the browser's session cookie, as the SPA makes it. */
  async function trpcMutation<T>(path: string, input: unknown): Promise<T> {
    const response = await context.request.post(`/trpc/${path}`, {
      data: input,
      headers: { origin: server.url },
    });
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  async function trpcQuery<T>(path: string, input?: unknown): Promise<T> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await context.request.get(`/trpc/${path}${query}`);
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  function rows(): Locator {
    return page.locator('table.keys-table tbody tr:not(.skeleton-row)');
  }

  function row(name: string): Locator {
    return rows().filter({ has: page.getByRole('link', { name, exact: true }) });
  }

  async function dismissToasts(): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  async function openKeys(): Promise<void> {
    await page.goto(keysPath);
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
  }

  /** The message under a labelled field, through its `aria-describedby` wiring. */
  async function fieldError(scope: Locator, label: string): Promise<string> {
    const input = scope.getByLabel(label);
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    if (!errorId) throw new Error(`${label} has no error message`);
    return (await page.locator(`[id="${errorId}"]`).textContent())?.trim() ?? '';
  }

  it('signs in as the bootstrapped owner and lists the root key', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/o/${orgSlug}`);

    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: 'API keys' })
      .click();
    await page.waitForURL(`**${keysPath}`);
    await row('Root key').waitFor();
    expect(await rows().count()).toBe(1);
    await expect.poll(() => page.locator('.pagination__range').textContent()).toBe('1–1 of 1');
    await screenshot(page, 'keys-01-table-root-key');
  });

  it('shows the upgrade prompt on the free plan, with the owner sent to the plan page', async () => {
    await page.goto('/organizations/new');
    await page.getByLabel('Organization name').fill('Globex');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/o/globex');
    await dismissToasts();
    await page.goto('/o/globex/keys');
    await page.getByRole('heading', { name: 'API keys are included from the Pro plan' }).waitFor();
    const upgrade = page.getByRole('link', { name: 'Upgrade plan' });
    expect(await upgrade.getAttribute('href')).toBe('/o/globex/settings');
    await screenshot(page, 'keys-02-free-plan-upgrade');
  });

  it('deletes the unused root key after confirmation, leaving the empty state', async () => {
    await openKeys();
    await row('Root key').locator('td').nth(3).click();
    await page.getByRole('heading', { level: 2, name: 'Root key' }).waitFor();
    await screenshot(page, 'keys-03-detail-root-key');

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Root key?' });
    const confirm = dialog.getByRole('button', { name: 'Delete key' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type Root key to confirm').fill('Root key');
    await confirm.click();
    await page.waitForURL(`**${keysPath}`);

    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await page.getByText('POST /v1/keys/verify').waitFor();
    await dismissToasts();
    await screenshot(page, 'keys-04-empty-state');
  });

  it('validates the create form inline, naming each field', async () => {
    // A resource wildcard in the space's catalog (its `admin:*` allows only itself, §4), so the
    // form offers to type in the narrower scopes it grants.
    const me = await trpcQuery<{ organizations: Array<{ id: string; slug: string }> }>('auth.me');
    const orgId = me.organizations.find((org) => org.slug === orgSlug)?.id ?? '';
    const [space] = await trpcQuery<Array<{ id: string; scopeCatalog: string[] }>>('space.list', { orgId });
    await trpcMutation('space.update', {
      orgId,
      spaceId: space?.id,
      scopeCatalog: [...(space?.scopeCatalog ?? []), 'orders:*'],
    });
    await page.reload();
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Space').inputValue()).not.toBe('');
    await screenshot(page, 'keys-05-create-dialog');

    await dialog.getByLabel('Per second').fill('1000');
    await dialog.getByLabel('IP allowlist').fill('10.0.0.1\n10.0.0.300');
    await dialog.getByLabel('Daily').fill('1.5');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    expect(await fieldError(dialog, 'Name')).toBe('Enter a name');
    expect(await fieldError(dialog, 'Per second')).toBe('At most 50 on the team plan');
    expect(await fieldError(dialog, 'Daily')).toBe('Enter a whole number greater than 0');
    expect(await fieldError(dialog, 'IP allowlist')).toBe(
      'Line 2: "10.0.0.300" is not an IP address or CIDR range',
    );
    await screenshot(page, 'keys-06-create-errors');
  });

  it('creates a key and shows it in full exactly once', async () => {
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name').fill('Checkout backend');
    await dialog.getByLabel('Description').fill('Charges cards for the web checkout');
    await dialog.getByRole('button', { name: 'keys:verify' }).click();
    await dialog.getByLabel("Add a scope the catalog's wildcards allow").fill('orders:read');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('radio', { name: '90 days' }).check();
    await dialog.getByLabel('Daily').fill('1,000');
    await dialog.getByLabel('Per second').fill('10');
    await dialog.getByLabel('IP allowlist').fill('10.0.0.0/8\n203.0.113.7');
    expect(await dialog.getByRole('button', { name: 'orders:read' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await screenshot(page, 'keys-07-create-filled');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const reveal = page.getByRole('dialog', { name: 'Your API key is ready' });
    await reveal.waitFor();
    createdKey = (await reveal.getByTestId('revealed-key').textContent())?.trim() ?? '';
    expect(createdKey).toMatch(/^sk_live_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}$/);
    createdKeyId = `key_${createdKey.slice('sk_live_'.length, 'sk_live_'.length + 16)}`;
    await reveal.getByText("Copy this key now. It won't be shown again.").waitFor();
    await reveal.getByRole('button', { name: 'Copy API key' }).click();
    await reveal.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(createdKey);
    // Esc does not close it by accident: the key would be lost for good.
    await page.keyboard.press('Escape');
    expect(await reveal.isVisible()).toBe(true);
    await screenshot(page, 'keys-08-reveal-once');

    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'detached' });
    await row('Checkout backend').waitFor();
    expect(await page.content()).not.toContain(createdKey);
  });

  it('after a reload, shows only the redacted preview, nowhere the key', async () => {
    await page.reload();
    await row('Checkout backend').waitFor();
    const preview = `sk_live_${createdKey.slice(8, 12)}...${createdKey.slice(-4)}`;
    expect(await row('Checkout backend').locator('.key-preview').textContent()).toBe(preview);
    expect(await page.content()).not.toContain(createdKey);
    expect(await page.content()).not.toContain(createdKey.split('.')[1]?.slice(0, 32) ?? '');
    expect(page.url()).not.toContain(createdKey);
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(storage).not.toContain(createdKey);
    await dismissToasts();
    await screenshot(page, 'keys-09-table-after-reload');
  });

  it('searches as you type, and the X clears the search', async () => {
    const me = await trpcQuery<{ organizations: Array<{ id: string; slug: string }> }>('auth.me');
    const orgId = me.organizations.find((org) => org.slug === orgSlug)?.id ?? '';
    const spaces = await trpcQuery<Array<{ id: string; name: string }>>('space.list', { orgId });
    const spaceId = spaces[0]?.id ?? '';
    const extra: Array<[string, 'live' | 'test', string, Record<string, number>]> = [
      ['Payments worker', 'live', 'production', { daily: 50_000 }],
      ['Payments reporting', 'test', 'staging', { monthly: 2_000_000 }],
      ['Mobile app', 'live', 'production', {}],
      ['Partner sync', 'test', 'development', { total: 10_000, weekly: 700 }],
    ];
    for (const [name, environment, category, quotas] of extra) {
      await trpcMutation('key.create', {
        orgId,
        spaceId,
        name,
        environment,
        category,
        scopes: ['keys:read'],
        quotas,
      });
    }
    await page.reload();
    await row('Partner sync').waitFor();
    expect(await rows().count()).toBe(5);
    // Dense but never clipped: the columns fit the card at a laptop width.
    const overflow = await page
      .locator('.keys-table-container')
      .evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'keys-09b-table-full');

    const search = page.getByRole('searchbox', { name: 'Search keys by name' });
    await search.pressSequentially('pay', { delay: 60 });
    await expect.poll(() => rows().count()).toBe(2);
    expect(await row('Payments worker').count()).toBe(1);
    expect(await row('Payments reporting').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('pay');
    await screenshot(page, 'keys-10-search');

    await search.pressSequentially('ments r', { delay: 40 });
    await expect.poll(() => rows().count()).toBe(1);

    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => rows().count()).toBe(5);
    expect(await search.inputValue()).toBe('');
    expect(new URL(page.url()).searchParams.get('q')).toBeNull();
  });

  it('filters by environment and status, and offers to clear filters when nothing matches', async () => {
    await page.getByLabel('Environment').selectOption('test');
    await expect.poll(() => rows().count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('env')).toBe('test');
    await page.getByLabel('Status').selectOption('revoked');
    await page.getByRole('heading', { name: 'No keys match' }).waitFor();
    await screenshot(page, 'keys-11-no-results');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => rows().count()).toBe(5);
    expect(new URL(page.url()).search).toBe('');
  });

  it('rolls a key: shows the new key once and marks the old one with its end of grace', async () => {
    await row('Checkout backend').getByRole('link', { name: 'Checkout backend' }).click();
    await page.waitForURL(`**${keysPath}/${createdKeyId}`);
    await page.getByRole('heading', { level: 2, name: 'Checkout backend' }).waitFor();
    await screenshot(page, 'keys-12-detail');

    await page.getByRole('button', { name: 'Roll key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll Checkout backend' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: '24 hours' }).isChecked()).toBe(true);
    await screenshot(page, 'keys-13-roll-dialog');
    const before = Date.now();
    await dialog.getByRole('button', { name: 'Roll key' }).click();

    const reveal = page.getByRole('dialog', { name: 'Your new API key' });
    await reveal.waitFor();
    const newKey = (await reveal.getByTestId('revealed-key').textContent())?.trim() ?? '';
    expect(newKey).toMatch(/^sk_live_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}$/);
    expect(newKey).not.toBe(createdKey);
    rolledKeyId = `key_${newKey.slice(8, 24)}`;
    await reveal.getByText("Copy this key now. It won't be shown again.").waitFor();
    await reveal.getByRole('button', { name: 'Copy API key' }).waitFor();
    await screenshot(page, 'keys-14-roll-reveal');
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'detached' });

    // After the one-time reveal, the new key's page: it carries the name on.
    await page.waitForURL(`**${keysPath}/${rolledKeyId}`);
    await page.getByRole('heading', { level: 2, name: 'Checkout backend' }).waitFor();
    await page.getByText(`Replaces ${createdKeyId}.`).waitFor();
    expect(await page.content()).not.toContain(newKey);

    // The old key keeps its name (no id appended) and says when it stops working.
    await page.goto(`${keysPath}/${createdKeyId}`);
    const notice = page.getByText(/^Rolled — stops working at /);
    await notice.waitFor();
    await page.getByRole('heading', { level: 2, name: 'Checkout backend', exact: true }).waitFor();
    const old = await trpcQuery<{ graceEndsAt: string; rolledToId: string; name: string }>('key.byId', {
      orgId: (
        await trpcQuery<{ organizations: Array<{ id: string; slug: string }> }>('auth.me')
      ).organizations.find((org) => org.slug === orgSlug)?.id,
      keyId: createdKeyId,
    });
    expect(old.rolledToId).toBe(rolledKeyId);
    expect(old.name).toBe('Checkout backend');
    const graceMs = new Date(old.graceEndsAt).getTime() - before;
    expect(graceMs).toBeGreaterThan(86_400_000 - 60_000);
    expect(graceMs).toBeLessThan(86_400_000 + 60_000);
    await dismissToasts();
    await screenshot(page, 'keys-15-rolled-old-key');

    // In the table both carry the name; the old one says "Rolled, ends in …" and links on.
    await openKeys();
    const rolledRow = rows().filter({ has: page.locator(`a[href$="/keys/${createdKeyId}"]`) });
    await rolledRow.getByText(/^Rolled, ends in /).waitFor();
    expect(await row('Checkout backend').count()).toBe(2);
    await screenshot(page, 'keys-15b-rolled-in-table');
    await rolledRow.getByRole('link', { name: 'New key' }).click();
    await page.waitForURL(`**${keysPath}/${rolledKeyId}`);
    await page.getByRole('heading', { level: 2, name: 'Checkout backend' }).waitFor();
  });

  it('revokes only after confirmation: cancel keeps the key active, confirm revokes it', async () => {
    const header = page.locator('.key-header');
    await header.getByText('Active', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke Checkout backend?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Revoke key' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Type Checkout backend to confirm').fill('Checkout');
    expect(await dialog.getByRole('button', { name: 'Revoke key' }).isDisabled()).toBe(true);
    await screenshot(page, 'keys-16-revoke-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await header.getByText('Active', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Revoke…' }).click();
    await dialog.getByLabel('Type Checkout backend to confirm').fill('Checkout backend');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await header.getByText('Revoked', { exact: true }).waitFor();
    await page.getByText(/^Revoked on /).waitFor();
    await dismissToasts();
    await screenshot(page, 'keys-17-revoked');
  });

  it('recognises a pasted key anywhere and finds it, without sending the secret', async () => {
    await openKeys();
    await row('Mobile app').waitFor();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));

    await pasteText(page, 'body', `here is the key: ${createdKey}`);
    const label = `sk_live_${createdKey.slice(8, 12)}…`;
    const dialog = page.getByRole('dialog', { name: `Looks like a Keysmith API key (${label})` });
    await dialog.waitFor();
    await dialog.getByText('Checkout backend').waitFor();
    await screenshot(page, 'keys-18-paste-recognised');
    await dialog.getByRole('button', { name: 'Find key' }).click();
    await page.waitForURL(`**${keysPath}/${createdKeyId}`);
    await page.getByText(/^Rolled — stops working at /).waitFor();

    // Pasted into the search box, the key is caught before it becomes a search term.
    await openKeys();
    const search = page.getByRole('searchbox', { name: 'Search keys by name' });
    await search.focus();
    await pasteText(page, search, createdKey);
    await dialog.waitFor();
    expect(await search.inputValue()).toBe('');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke this key?' });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('Checkout backend is revoked').waitFor();

    const secret = createdKey.split('.')[1] ?? '';
    expect(requests.some((line) => line.includes(secret.slice(0, 32)))).toBe(false);
    expect(page.url()).not.toContain(secret);
    page.removeAllListeners('request');
  });

  it('edits a key and shows the new settings', async () => {
    await openKeys();
    await row('Mobile app').getByRole('link', { name: 'Mobile app' }).click();
    await page.getByRole('heading', { level: 2, name: 'Mobile app' }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Mobile app' });
    await dialog.waitFor();
    // The server's field errors land under the field they name.
    await dialog.getByLabel('Name').fill('Payments worker');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    expect(await fieldError(dialog, 'Name')).toBe('A key with this name already exists in this organization');
    await dialog.getByLabel('Name').fill('Mobile app');
    await dialog.getByLabel('Description').fill('iOS and Android apps');
    await dialog.getByLabel('Monthly').fill('250000');
    await dialog.getByRole('radio', { name: '30 days' }).check();
    await screenshot(page, 'keys-19-edit-dialog');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.key-header').getByText('iOS and Android apps').waitFor();
    await page.getByText('250,000', { exact: true }).first().waitFor();
    await dismissToasts();
    await screenshot(page, 'keys-20-detail-edited');
  });

  it('shows skeleton rows while loading, and an error with a retry', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const isKeyList = (url: URL) => url.pathname.includes('key.list');
    await page.route(isKeyList, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(keysPath);
    await page.locator('.keys-table-container[aria-busy="true"] .skeleton-row').first().waitFor();
    await screenshot(page, 'keys-21-loading');
    release();
    await row('Mobile app').waitFor();
    await page.unroute(isKeyList);

    await page.route(isKeyList, (route) => route.abort('connectionrefused'));
    await page.goto(`${keysPath}?env=live`);
    await page.getByRole('heading', { name: "Couldn't load API keys" }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'keys-22-load-error');
    await page.unroute(isKeyList);
    await page.getByRole('button', { name: 'Try again' }).click();
    await row('Mobile app').waitFor();
  });
});
