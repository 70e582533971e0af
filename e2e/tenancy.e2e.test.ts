import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchBrowser, newContext } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * Organizations, members, invitations and spaces through the built product, with two people
 * in two browser contexts: an owner sets up an organization and two spaces, invites a second
 * user who signs up from the link and accepts, gets `developer` in one space, and sees that
 * space and not the other. Along the way every screen of the area is photographed into
 * e2e/artifacts/tenancy-*.png for design review.
 */
describe('tenancy: an owner invites a teammate into one space', () => {
  let server: RunningServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let inviteeContext: BrowserContext;
  let owner: Page;
  let invitee: Page;
  const run = Date.now().toString(36);
  const ownerEmail = `ada-${run}@example.test`;
  const inviteeEmail = `grace-${run}@example.test`;
  const password = 'correct horse battery staple';
  const orgSlug = `northwind-${run}`;
  let invitationLink = '';
  let paymentsPath = '';
  let shippingPath = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ownerContext = await newContext(browser, server.url);
    await ownerContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    inviteeContext = await newContext(browser, server.url);
    owner = await ownerContext.newPage();
    invitee = await inviteeContext.newPage();
    // Every step waits for something that should appear at once; fail fast when it does not.
    owner.setDefaultTimeout(10_000);
    invitee.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await ownerContext?.close();
    await inviteeContext?.close();
    await browser?.close();
    await server?.stop();
  });

  /**
   * Saves e2e/artifacts/<name>.png for design review: the whole page from the top, or (with an
   * open dialog or menu) the screen as the user sees it, since a full-page capture of a
   * scrolled page with a modal layer is not what anyone sees.
   */
  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const overlay = (await page.locator('[role="dialog"], [role="alertdialog"], [role="menu"]').count()) > 0;
    if (!overlay) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, `${name}.png`),
      fullPage: !overlay,
      animations: 'disabled',
    });
  }

  /** Closes the confirmation toasts, so the next screenshots show the screen itself. */
  async function dismissToasts(page: Page): Promise<void> {
    const buttons = page.getByRole('button', { name: 'Dismiss notification' });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  /** The text under a labelled field, read through its `aria-describedby` wiring. */
  async function fieldError(page: Page, label: string): Promise<string> {
    const input = page.getByLabel(label, { exact: true });
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    if (!errorId) throw new Error(`${label} has no error message`);
    return (await page.locator(`[id="${errorId}"]`).textContent())?.trim() ?? '';
  }

  async function openSection(page: Page, label: string, segment: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: label }).click();
    await page.waitForURL(`**/o/${orgSlug}/${segment}`);
    await page.getByRole('heading', { level: 1, name: label }).waitFor();
  }

  /** Fills the "Create a space" dialog (already open) with a name and a palette colour. */
  async function fillSpaceDialog(name: string, color: string): Promise<void> {
    const dialog = owner.getByRole('dialog', { name: 'Create a space' });
    await dialog.waitFor();
    await dialog.getByLabel('Space name').fill(name);
    await dialog.getByRole('radio', { name: color }).check({ force: true });
  }

  it('signs the owner up and creates an organization', async () => {
    await owner.goto('/sign-up');
    await owner.getByLabel('Full name').fill('Ada Lovelace');
    await owner.getByLabel('Work email').fill(ownerEmail);
    await owner.getByLabel('Password', { exact: true }).fill(password);
    await owner.getByRole('button', { name: 'Create account' }).click();
    await owner.waitForURL('**/organizations/new');
    await owner.getByLabel('Organization name').fill('Northwind Labs');
    await owner.getByLabel('URL slug').fill(orgSlug);
    await owner.getByRole('button', { name: 'Create organization' }).click();
    await owner.waitForURL(`**/o/${orgSlug}`);
    await dismissToasts(owner);
  });

  it('creates two spaces from the spaces page, with logos and a scope catalog', async () => {
    await openSection(owner, 'Spaces', 'spaces');
    await owner.getByText('No spaces yet', { exact: true }).waitFor();
    await screenshot(owner, 'tenancy-01-spaces-empty');

    await owner.getByRole('button', { name: 'Create your first space' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Create a space' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Create space' }).click();
    expect(await fieldError(owner, 'Space name')).toBe('Enter a name for the space');
    await fillSpaceDialog('Payments API', 'Teal');
    await screenshot(owner, 'tenancy-02-create-space-dialog');
    await dialog.getByRole('button', { name: 'Create space' }).click();
    await owner.waitForURL(new RegExp(`/o/${orgSlug}/spaces/spc_[^/]+$`));
    paymentsPath = new URL(owner.url()).pathname;
    await owner.getByRole('heading', { level: 2, name: 'Payments API' }).waitFor();
    await dismissToasts(owner);

    // The catalog editor: the reserved scopes are locked; a bad entry is named; valid ones are added and saved.
    const reserved = owner.getByRole('list', { name: 'Reserved scopes' });
    expect(await reserved.getByRole('listitem').count()).toBe(4);
    const addField = owner.getByLabel('Add scopes');
    await addField.fill('orders:read Orders:Write');
    await owner.getByRole('button', { name: 'Add', exact: true }).click();
    expect(await fieldError(owner, 'Add scopes')).toBe(
      'Scopes are lowercase: use "orders:write" instead of "Orders:Write"',
    );
    await screenshot(owner, 'tenancy-03-scope-catalog-error');
    await addField.fill('orders:read, orders:write refunds:*');
    await addField.press('Enter');
    const custom = owner.getByRole('list', { name: 'Custom scopes' });
    await custom.getByText('refunds:*').waitFor();
    await owner.getByRole('button', { name: 'Save catalog' }).click();
    await owner.getByText('Scope catalog saved').waitFor();
    await dismissToasts(owner);
    await screenshot(owner, 'tenancy-04-space-settings');

    await owner.getByRole('link', { name: 'All spaces' }).click();
    await owner.waitForURL(`**/o/${orgSlug}/spaces`);
    await owner.getByRole('button', { name: 'New space' }).click();
    await fillSpaceDialog('Shipping API', 'Amber');
    await owner
      .getByRole('dialog', { name: 'Create a space' })
      .getByRole('button', { name: 'Create space' })
      .click();
    await owner.getByRole('heading', { level: 2, name: 'Shipping API' }).waitFor();
    shippingPath = new URL(owner.url()).pathname;
    await dismissToasts(owner);

    await owner.getByRole('link', { name: 'All spaces' }).click();
    const grid = owner.getByRole('list', { name: 'Spaces' });
    await grid.getByText('Payments API').waitFor();
    await grid.getByText('Shipping API').waitFor();
    await screenshot(owner, 'tenancy-05-spaces-list');
  });

  it('invites a second user by email and copies the link, shown once', async () => {
    await openSection(owner, 'Members', 'members');
    await owner.getByText('No pending invitations').waitFor();
    await screenshot(owner, 'tenancy-06-members-owner-only');

    await owner.getByRole('button', { name: 'Invite member' }).first().click();
    const dialog = owner.getByRole('dialog', { name: 'Invite a member' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    expect(await fieldError(owner, 'Email address')).toBe('Enter the email address to invite');
    await dialog.getByLabel('Email address').fill(inviteeEmail);
    await dialog.getByRole('radio', { name: /^Member/ }).check();
    await screenshot(owner, 'tenancy-07-invite-dialog');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();

    const created = owner.getByRole('dialog', { name: 'Invitation created' });
    await created.waitFor();
    invitationLink = await created.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    expect(invitationLink).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{20,}$`));
    await created.getByText(/Expires in 7 days/).waitFor();
    await created.getByRole('button', { name: 'Copy invitation link' }).click();
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(invitationLink);
    await screenshot(owner, 'tenancy-08-invitation-link');
    await created.getByRole('button', { name: 'Done' }).click();

    const invitations = owner.getByRole('table', { name: 'Invitations' });
    await invitations.getByText(inviteeEmail).waitFor();
    await invitations.getByText('Pending').waitFor();
    await screenshot(owner, 'tenancy-09-invitations-pending');
  });

  it('lets the invitee sign up from the link with the invited email and land in the organization', async () => {
    await invitee.goto(invitationLink);
    await invitee.getByRole('heading', { name: 'Join Northwind Labs on Keysmith' }).waitFor();
    await invitee.getByText(inviteeEmail).first().waitFor();
    await invitee.getByText('Ada Lovelace', { exact: true }).first().waitFor();
    await screenshot(invitee, 'tenancy-10-invite-signed-out');

    await invitee.getByRole('link', { name: 'Create an account to accept' }).click();
    await invitee.waitForURL('**/sign-up?**');
    expect(await invitee.getByLabel('Work email').inputValue()).toBe(inviteeEmail);
    await invitee.getByLabel('Full name').fill('Grace Hopper');
    await invitee.getByLabel('Password', { exact: true }).fill(password);
    await screenshot(invitee, 'tenancy-11-invitee-sign-up-prefilled');
    await invitee.getByRole('button', { name: 'Create account' }).click();

    await invitee.waitForURL('**/invite/**');
    const accept = invitee.getByRole('button', { name: 'Accept and join Northwind Labs' });
    await accept.waitFor();
    await screenshot(invitee, 'tenancy-12-invite-signed-in');
    await accept.click();
    await invitee.waitForURL(`**/o/${orgSlug}`);
    await invitee.getByText('Welcome to Northwind Labs').waitFor();
    const switcher = invitee.getByRole('button', { name: /Switch organization/ });
    await switcher.getByText('Northwind Labs', { exact: true }).waitFor();
    await screenshot(invitee, 'tenancy-13-invitee-landed');
    await dismissToasts(invitee);

    // Before any space role, a member sees no spaces.
    await openSection(invitee, 'Spaces', 'spaces');
    await invitee.getByText('You have not been added to a space yet', { exact: false }).waitFor();
  });

  it('lets the owner give the invitee developer in one space through the space members tab', async () => {
    await owner.reload();
    const members = owner.getByRole('table', { name: 'Members of Northwind Labs' });
    await members.getByText('Grace Hopper').waitFor();
    await owner.getByRole('button', { name: /Show past invitations/ }).click();
    await owner.getByRole('table', { name: 'Invitations' }).getByText('Accepted', { exact: true }).waitFor();
    await screenshot(owner, 'tenancy-14-members-two');

    await owner.getByRole('button', { name: 'Actions for Grace Hopper' }).click();
    await owner.getByRole('menu', { name: 'Actions for Grace Hopper' }).waitFor();
    await screenshot(owner, 'tenancy-15-member-menu');
    await owner.getByRole('menuitemradio', { name: 'Admin' }).click();
    const confirm = owner.getByRole('alertdialog', { name: 'Make Grace Hopper an admin?' });
    await confirm.waitFor();
    await screenshot(owner, 'tenancy-16-change-role-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    await owner.goto(`${paymentsPath}/members`);
    await owner.getByText('Nobody has a role in this space yet').waitFor();
    await owner.getByRole('button', { name: 'Add member' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Add a member to Payments API' });
    await dialog.waitFor();
    const option = dialog.getByRole('option', { name: new RegExp(`Grace Hopper · ${inviteeEmail}`) });
    await dialog
      .getByLabel('Organization member')
      .selectOption({ value: (await option.getAttribute('value')) ?? '' });
    await dialog.getByRole('radio', { name: /^Developer/ }).check();
    await screenshot(owner, 'tenancy-17-add-space-member');
    await dialog.getByRole('button', { name: 'Add to space' }).click();
    const spaceMembers = owner.getByRole('table', { name: 'Members of Payments API' });
    await spaceMembers.getByText('Grace Hopper').waitFor();
    await spaceMembers.getByText('Developer', { exact: true }).waitFor();
    await dismissToasts(owner);
    await screenshot(owner, 'tenancy-18-space-members');
  });

  it('shows the invitee that space and not the other', async () => {
    await invitee.reload();
    const grid = invitee.getByRole('list', { name: 'Spaces' });
    await grid.getByText('Payments API').waitFor();
    expect(await grid.getByText('Shipping API').count()).toBe(0);
    expect(await grid.getByRole('listitem').count()).toBe(1);
    expect(await invitee.getByRole('button', { name: 'New space' }).count()).toBe(0);
    await screenshot(invitee, 'tenancy-19-invitee-spaces');

    await grid.getByRole('link', { name: /Payments API/ }).click();
    await invitee.getByRole('heading', { level: 2, name: 'Payments API' }).waitFor();
    await invitee
      .getByText('Only space admins and organization owners or admins can change these settings.')
      .first()
      .waitFor();
    expect(await invitee.getByRole('button', { name: 'Save catalog' }).count()).toBe(0);
    await screenshot(invitee, 'tenancy-20-invitee-space-read-only');

    // The other space does not exist for them, even by its URL.
    await invitee.goto(shippingPath);
    await invitee.getByRole('heading', { name: 'Space not found' }).waitFor();
    await screenshot(invitee, 'tenancy-20b-invitee-other-space-not-found');
  });

  it('shows members what they may not change', async () => {
    await openSection(invitee, 'Members', 'members');
    await invitee.getByRole('button', { name: 'Leave' }).waitFor();
    expect(await invitee.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await invitee.getByRole('button', { name: /Actions for/ }).count()).toBe(0);
    await screenshot(invitee, 'tenancy-21-members-as-member');

    await openSection(invitee, 'Settings', 'settings');
    await invitee.getByText('Only owners can change the plan.', { exact: false }).waitFor();
    await invitee.getByText('Ask an owner: Ada Lovelace.', { exact: false }).waitFor();
    expect(await invitee.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await invitee.getByText('Danger zone').count()).toBe(0);
    await screenshot(invitee, 'tenancy-22-settings-as-member');
  });

  it('explains unknown, wrong-account, revoked, used and expired invitation links', async () => {
    await invitee.goto('/invite/not-a-real-token');
    await invitee.getByRole('heading', { name: "This invitation link isn't valid" }).waitFor();
    await screenshot(invitee, 'tenancy-23-invite-unknown');

    await invitee.goto(invitationLink);
    await invitee.getByRole('heading', { name: 'This invitation has already been used' }).waitFor();
    await screenshot(invitee, 'tenancy-24-invite-used');

    // A second invitation, for someone else, opened while signed in as the invitee.
    await owner.goto(`/o/${orgSlug}/members`);
    await owner.getByRole('button', { name: 'Invite member' }).first().click();
    const dialog = owner.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Email address').fill(`lin-${run}@example.test`);
    await dialog.getByRole('radio', { name: /^Admin/ }).check();
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const created = owner.getByRole('dialog', { name: 'Invitation created' });
    const otherLink = await created.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    await created.getByRole('button', { name: 'Done' }).click();

    await invitee.goto(otherLink);
    await invitee.getByText('This invitation is for another email address').waitFor();
    await invitee.getByRole('button', { name: `Sign out and continue as lin-${run}@example.test` }).waitFor();
    await screenshot(invitee, 'tenancy-25-invite-other-email');

    await owner.getByRole('button', { name: `Revoke invitation for lin-${run}@example.test` }).click();
    const revoke = owner.getByRole('alertdialog', { name: 'Revoke this invitation?' });
    await revoke.waitFor();
    await screenshot(owner, 'tenancy-26-revoke-confirm');
    await revoke.getByRole('button', { name: 'Revoke invitation' }).click();
    await revoke.waitFor({ state: 'detached' });

    await invitee.reload();
    await invitee.getByRole('heading', { name: 'This invitation was revoked' }).waitFor();
    await screenshot(invitee, 'tenancy-27-invite-revoked');

    // Expiry takes seven days; the screen is checked with the preview's answer rewritten.
    // (The batch link may group it with other queries: `/trpc/auth.me,invitation.preview?batch=1`.)
    const preview = /\/trpc\/[^?]*invitation\.preview/;
    await invitee.route(preview, async (route) => {
      const response = await route.fetch();
      const expired = new Date(Date.now() - 86_400_000).toISOString();
      const body = (await response.text())
        .replace('"status":"revoked"', '"status":"expired"')
        .replace(/"expiresAt":"[^"]+"/, `"expiresAt":"${expired}"`);
      await route.fulfill({ response, body });
    });
    await invitee.reload();
    await invitee.getByRole('heading', { name: 'This invitation has expired' }).waitFor();
    await screenshot(invitee, 'tenancy-28-invite-expired');
    await invitee.unroute(preview);
  });

  it('gives the owner settings: rename, slug, key prefix with preview, plans, danger zone', async () => {
    await openSection(owner, 'Settings', 'settings');
    await screenshot(owner, 'tenancy-29-settings-owner');

    const prefix = owner.getByLabel('Prefix', { exact: true });
    await prefix.fill('NW_');
    await owner.getByRole('button', { name: 'Save prefix' }).click();
    expect(await fieldError(owner, 'Prefix')).toBe(
      'The prefix cannot contain "_": it separates the parts of a key',
    );
    await prefix.fill('nwind');
    await owner.getByText('Existing keys keep their prefix').waitFor();
    await owner.getByText('nwind_live_…').waitFor();
    await screenshot(owner, 'tenancy-30-key-prefix-preview');
    await owner.getByRole('button', { name: 'Save prefix' }).click();
    await owner.getByText('Key prefix changed').waitFor();
    await dismissToasts(owner);

    await owner.getByRole('button', { name: 'Upgrade to Pro' }).click();
    const planDialog = owner.getByRole('alertdialog', { name: 'Switch Northwind Labs to Pro?' });
    await planDialog.waitFor();
    await screenshot(owner, 'tenancy-31-plan-confirm');
    await planDialog.getByRole('button', { name: 'Switch to Pro' }).click();
    await owner.getByText("You're on the Pro plan").waitFor();
    await owner.getByRole('listitem', { name: 'Pro plan (current)' }).waitFor();
    await dismissToasts(owner);

    await owner.getByRole('button', { name: 'Transfer ownership' }).click();
    const transfer = owner.getByRole('alertdialog', { name: 'Transfer ownership' });
    await transfer.waitFor();
    const grace = transfer.getByRole('option', { name: /Grace Hopper/ });
    await transfer.getByLabel('New owner').selectOption({ value: (await grace.getAttribute('value')) ?? '' });
    await screenshot(owner, 'tenancy-32-transfer-ownership');
    await transfer.getByRole('button', { name: 'Cancel' }).click();

    await owner.getByRole('button', { name: 'Delete organization' }).click();
    const remove = owner.getByRole('alertdialog', { name: 'Delete Northwind Labs?' });
    await remove.waitFor();
    await remove.getByLabel(/to confirm/).fill('northwind');
    expect(await remove.getByRole('button', { name: 'Delete organization' }).isDisabled()).toBe(true);
    await screenshot(owner, 'tenancy-33-delete-organization');
    await remove.getByRole('button', { name: 'Cancel' }).click();

    // Renaming moves nothing; a new slug moves the dashboard, and the page follows it.
    await owner.getByLabel('Organization name').fill('Northwind Labs Inc.');
    await owner.getByLabel('URL slug').fill(`${orgSlug}-inc`);
    await owner.getByText('Links and bookmarks to the old URL will stop working.').waitFor();
    await owner.getByRole('button', { name: 'Save changes' }).click();
    await owner.waitForURL(`**/o/${orgSlug}-inc/settings`);
    await owner
      .getByRole('button', { name: /Switch organization/ })
      .getByText('Northwind Labs Inc.')
      .waitFor();
    await owner.getByLabel('Organization name').fill('Northwind Labs');
    await owner.getByLabel('URL slug').fill(orgSlug);
    await owner.getByRole('button', { name: 'Save changes' }).click();
    await owner.waitForURL(`**/o/${orgSlug}/settings`);
    await dismissToasts(owner);
  });

  it('archives a space that has keys instead of deleting it, and unarchives it', async () => {
    await owner.goto(paymentsPath);
    await owner.getByRole('heading', { level: 2, name: 'Payments API' }).waitFor();
    // A key in the space (the keys screens are another feature; the API creates it here).
    const status = await owner.evaluate(
      async ({ spacePath }) => {
        const spaceId = spacePath.split('/').pop() ?? '';
        const me = await fetch('/trpc/auth.me').then((r) => r.json());
        const orgId = me.result.data.organizations[0].id;
        const response = await fetch('/trpc/key.create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ orgId, spaceId, name: 'Checkout service', scopes: ['orders:read'] }),
        });
        return response.status;
      },
      { spacePath: paymentsPath },
    );
    expect(status).toBe(200);
    await owner.reload();

    await owner.getByRole('button', { name: 'Archive space' }).click();
    const confirm = owner.getByRole('alertdialog', { name: 'Archive Payments API?' });
    await confirm.waitFor();
    await screenshot(owner, 'tenancy-34-archive-confirm');
    await confirm.getByRole('button', { name: 'Archive space' }).click();
    await owner.getByText('Payments API was archived, not deleted').waitFor();
    await owner.getByText('This space is archived', { exact: true }).waitFor();
    await dismissToasts(owner);
    await screenshot(owner, 'tenancy-35-space-archived');

    await owner.getByRole('link', { name: 'All spaces' }).click();
    await owner.getByRole('list', { name: 'Spaces' }).getByText('Archived').waitFor();
    await screenshot(owner, 'tenancy-36-spaces-with-archived');

    await owner.goto(paymentsPath);
    await owner.getByRole('button', { name: 'Unarchive' }).click();
    await owner.getByText('Payments API is active again').waitFor();
    await owner.getByRole('button', { name: 'Save catalog' }).waitFor();
    await dismissToasts(owner);
  });

  it('stops the last owner from leaving, with the reason and the way out', async () => {
    await openSection(owner, 'Members', 'members');
    await owner.getByRole('button', { name: 'Leave' }).click();
    const dialog = owner.getByRole('dialog', { name: "You can't leave Northwind Labs yet" });
    await dialog.waitFor();
    await dialog.getByText('You are the only owner.', { exact: false }).waitFor();
    await screenshot(owner, 'tenancy-37-leave-blocked');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
  });

  it('fits a phone screen', async () => {
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.reload();
    await owner.getByRole('table', { name: 'Members of Northwind Labs' }).waitFor();
    await screenshot(owner, 'tenancy-39-phone-members');
    await owner.goto(`/o/${orgSlug}/spaces`);
    await owner.getByRole('list', { name: 'Spaces' }).waitFor();
    await screenshot(owner, 'tenancy-40-phone-spaces');
    await owner.goto(`/o/${orgSlug}/settings`);
    await owner.getByRole('heading', { name: 'Plan', exact: true }).waitFor();
    await screenshot(owner, 'tenancy-41-phone-settings');
    await owner.setViewportSize({ width: 1440, height: 900 });
  });

  it('lets a member leave and sends them on', async () => {
    await invitee.goto(`/o/${orgSlug}/members`);
    await invitee.getByRole('button', { name: 'Leave' }).click();
    const dialog = invitee.getByRole('alertdialog', { name: 'Leave Northwind Labs?' });
    await dialog.waitFor();
    await screenshot(invitee, 'tenancy-38-leave-confirm');
    await dialog.getByRole('button', { name: 'Leave organization' }).click();
    await invitee.waitForURL('**/organizations/new');
  });
});
