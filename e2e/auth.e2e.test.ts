import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * The first minutes of a new customer, through the built product in a real browser:
 * sign up, create an organization, find it in the shell, sign out, sign in again.
 * Screenshots of every screen land in e2e/artifacts/ for design review.
 */
describe('sign-up to shell', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `ada-${Date.now().toString(36)}@example.test`;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  /** The text under a labelled field, read through its `aria-describedby` wiring. */
  async function fieldError(label: string): Promise<string> {
    const input = page.getByLabel(label, { exact: true });
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    if (!errorId) throw new Error(`${label} has no error message`);
    return (await page.locator(`[id="${errorId}"]`).textContent())?.trim() ?? '';
  }

  /** Closes the confirmation toasts, so the next screenshots show the screen itself. */
  async function dismissToasts(): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  it('sends a visitor to sign-in and links to sign-up', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Keysmith' }).waitFor();
    await screenshot(page, '01-sign-in');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL('**/sign-up');
    await page.getByRole('heading', { name: 'Create your Keysmith account' }).waitFor();
    await screenshot(page, '02-sign-up');
  });

  it('names the fields that are wrong, before and after the server answers', async () => {
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill('ada-at-example');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();

    expect(await fieldError('Work email')).toBe('Enter a valid email address');
    expect(await fieldError('Password')).toBe('Password must be at least 8 characters');
    await expect.poll(() => page.getByLabel('Full name').getAttribute('aria-invalid')).toBeNull();
    await screenshot(page, '03-sign-up-field-errors');
  });

  it('signs up and lands on the onboarding screen', async () => {
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL('**/organizations/new');
    await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
    await screenshot(page, '04-onboarding-empty');

    await page.getByLabel('Organization name').fill('Acme Robotics');
    expect(await page.getByLabel('URL slug').inputValue()).toBe('acme-robotics');
    await page.getByText(`${server.url}/o/acme-robotics`).waitFor();
    await screenshot(page, '05-onboarding-filled');
  });

  it('creates the organization and shows it in the shell', async () => {
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/o/acme-robotics');

    const switcher = page.getByRole('button', { name: /Switch organization/ });
    await switcher.getByText('Acme Robotics', { exact: true }).waitFor({ state: 'visible' });
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('Welcome, Ada').waitFor();
    await screenshot(page, '06-shell-overview');
    await dismissToasts();
  });

  it('shows a helpful empty state on every screen still to come', async () => {
    const sections: Array<[string, string, string]> = [
      ['API keys', 'keys', 'API keys are included from the Pro plan'],
      ['Spaces', 'spaces', 'No spaces yet'],
      ['Members', 'members', 'Ada Lovelace'],
      // Creating the organization is the audit log's first event.
      ['Audit log', 'audit-log', 'Created organization'],
      ['Security', 'security', 'All quiet'],
      ['Webhooks', 'webhooks', 'No webhook endpoints'],
      ['Settings', 'settings', 'Plan'],
    ];
    for (const [label, segment, text] of sections) {
      await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: label }).click();
      await page.waitForURL(`**/o/acme-robotics/${segment}`);
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
      await page.getByText(text, { exact: true }).first().waitFor();
      await screenshot(page, `07-section-${segment}`);
    }
  });

  it('creates a second organization from the switcher and switches between them', async () => {
    await page.getByRole('button', { name: /Switch organization/ }).click();
    await page.getByRole('menuitem', { name: 'Create organization' }).click();
    await page.waitForURL('**/organizations/new');
    await page.getByRole('heading', { name: 'Create an organization' }).waitFor();
    await page.getByLabel('Organization name').fill('Globex');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/o/globex');
    await dismissToasts();

    await page.getByRole('button', { name: /Switch organization/ }).click();
    const menu = page.getByRole('menu', { name: 'Switch organization' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitemradio', { name: /Globex/ }).getAttribute('aria-checked')).toBe(
      'true',
    );
    expect(
      await menu.getByRole('menuitemradio', { name: /Acme Robotics/ }).getAttribute('aria-checked'),
    ).toBe('false');
    await screenshot(page, '08-org-switcher-open');

    await menu.getByRole('menuitemradio', { name: /Acme Robotics/ }).click();
    await page.waitForURL('**/o/acme-robotics');
  });

  it('opens the user menu and the change-password dialog', async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    const menu = page.getByRole('menu', { name: 'Account' });
    await menu.getByText(email).waitFor();
    await screenshot(page, '09-user-menu-open');

    await menu.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.waitFor();
    await screenshot(page, '10-change-password');

    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await dialog.getByLabel('Confirm new password').fill('a brand new passphrase');
    await dialog.getByRole('button', { name: 'Update password' }).click();
    expect(await fieldError('Current password')).toBe('Current password is incorrect');
    await screenshot(page, '11-change-password-server-error');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('signs out, refuses a wrong password, and signs back in to the remembered organization', async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '12-sign-in-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/o/acme-robotics');
    const switcher = page.getByRole('button', { name: /Switch organization/ });
    await switcher.getByText('Acme Robotics', { exact: true }).waitFor({ state: 'visible' });
  });

  it('shows a skeleton while loading, and an error with a retry when the API is unreachable', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The server renders the session into the page (decision 0026), so the SPA asks for it only
    // when the page comes without it (the dev server, or a server that could not read it):
    // take it out here to see the SPA's own loading and error states.
    await page.route('**/o/acme-robotics/spaces', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(
        /<script type="application\/json" id="ks-session">[^<]*<\/script>/,
        '',
      );
      await route.fulfill({ response, body });
    });
    await page.route('**/trpc/auth.me**', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/o/acme-robotics/spaces');
    await page.locator('[aria-busy="true"]').first().waitFor();
    await screenshot(page, '13-loading-skeleton');
    release();
    await page.getByRole('heading', { level: 1, name: 'Spaces' }).waitFor();
    await page.unroute('**/trpc/auth.me**');

    await page.route('**/trpc/**', (route) => route.abort('connectionrefused'));
    await page.goto('/o/acme-robotics/spaces');
    await page.getByRole('heading', { name: "We couldn't load Keysmith" }).waitFor({ timeout: 15_000 });
    await screenshot(page, '14-load-error');
    await page.unroute('**/trpc/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spaces' }).waitFor();
    await page.unroute('**/o/acme-robotics/spaces');

    // With the session in the page, the screen renders without asking for it.
    const asked: string[] = [];
    const onRequest = (request: { url: () => string }) => {
      if (request.url().includes('auth.me')) asked.push(request.url());
    };
    page.on('request', onRequest);
    await page.goto('/o/acme-robotics/spaces');
    await page.getByRole('heading', { level: 1, name: 'Spaces' }).waitFor();
    page.off('request', onRequest);
    expect(asked).toEqual([]);
  });

  it('adapts the shell to a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/o/acme-robotics/keys');
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await screenshot(page, '15-phone-api-keys');

    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: 'Members' })
      .click();
    await page.waitForURL('**/o/acme-robotics/members');
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await screenshot(page, '16-phone-members');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('answers unknown pages with a 404 screen', async () => {
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await screenshot(page, '17-not-found');

    await page.goto('/o/acme-robotics/no-such-section');
    await page.getByRole('heading', { name: "This page doesn't exist" }).waitFor();
    await screenshot(page, '18-section-not-found');

    await page.goto('/o/someone-elses-org');
    await page.getByRole('heading', { name: 'Organization not found' }).waitFor();
    await screenshot(page, '19-org-not-found');
  });
});
