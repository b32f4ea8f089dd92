/**
 * SSO users in Chromium with the extension: Acme's people sign in from the popup through the Acme IdP and use
 * the switcher like everyone else (create, link, switch back); tom, whom Acme never provisioned, meets the password
 * step (enforcement is for members), takes Acme's single sign-on from it and is told to ask his administrator;
 * limited release applies to SSO users too; ida runs Acme's organization page.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import {
  chooseInSwitcher,
  fillSsoLogin,
  fillTwilioLogin,
  openPopup,
  signInFromPopup,
} from '../../scripts/lib/journeys';
import { expectAccessible } from './axe';
import { type Stage, startStage } from './world';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

/** A fresh world and browser, with `email` signed in to the extension through the Acme IdP. */
async function signedInBySso(email: string, before?: (s: Stage) => void): Promise<{ s: Stage; popup: Page }> {
  stage = await startStage();
  before?.(stage);
  const { context, extensionOrigin } = stage.browser;
  const popup = await openPopup(context, extensionOrigin);
  await signInFromPopup(context, popup, email, { sso: true });
  await popup.locator('.account-email').waitFor();
  expect(await popup.locator('.account-email').textContent()).toBe(email);
  return { s: stage, popup };
}

/** Opens the Console: the Twilio session the SSO sign-in left signs it in without any page. */
async function openConsole(s: Stage): Promise<Page> {
  const page = await s.browser.context.newPage();
  await page.goto(`${s.world.urls.console}/`);
  await page.waitForURL(`${s.world.urls.console}/**`);
  return page;
}

const productStatus = (popup: Page, product: string) =>
  popup.locator(`li[data-product="${product}"] .badge`).textContent();

describe('SSO users and the switcher', () => {
  it('sam signs in from the popup through the Acme IdP, creates a free Segment user, lands in it and switches back', async () => {
    const { s, popup } = await signedInBySso('sam@acme.test');
    expect(await productStatus(popup, 'segment')).toBe('Not set up');
    const page = await openConsole(s);
    expect(await page.getByTestId('user-email').textContent()).toBe('sam@acme.test');

    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.login}/setup/segment`);
    await page.getByRole('button', { name: 'Create Segment user' }).click();
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByTestId('workspace-role').textContent()).toBe('Owner');

    await chooseInSwitcher(page, /^Twilio Console/);
    await page.waitForURL(`${s.world.urls.console}/**`);
    expect(await page.getByTestId('user-email').textContent()).toBe('sam@acme.test');
    await popup.reload();
    await expect.poll(() => productStatus(popup, 'segment')).toBe('Linked');
  });

  it('sue links her existing Segment user by proving its password, and lands in Acme Marketing', async () => {
    const { s } = await signedInBySso('sue@acme.test');
    const page = await openConsole(s);
    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.login}/setup/segment`);
    await page.getByLabel('Segment password').fill('segment-pass-2026');
    await page.getByRole('button', { name: 'Link Segment user' }).click();
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Acme Marketing');

    await chooseInSwitcher(page, /^Twilio Console/);
    await page.waitForURL(`${s.world.urls.console}/**`);
    expect(await page.getByTestId('user-email').textContent()).toBe('sue@acme.test');
  });

  it('limited release applies to SSO users too: an ineligible Acme user sees it and is offered "Request access"', async () => {
    const { popup } = await signedInBySso('sam@acme.test', (s) => {
      s.world.db.prepare('UPDATE users SET eligible = 0 WHERE email = ?').run('sam@acme.test');
    });
    expect(await productStatus(popup, 'segment')).toBe('Limited release');
    expect(await popup.locator('li[data-product="segment"] .product-note').textContent()).toBe(
      'Unified login is in limited release.',
    );
    expect(await popup.locator('li[data-product="segment"] .request button').textContent()).toBe('Request access');
    expect(await popup.locator('li[data-product="segment"] a').count()).toBe(0);
  });
});

describe('a person Acme has not provisioned', () => {
  it('tom takes Acme’s single sign-on from the password step, signs in at the Acme IdP and is told plainly to ask his administrator', async () => {
    stage = await startStage();
    const { context, extensionOrigin } = stage.browser;
    const popup = await openPopup(context, extensionOrigin);
    const loginWindow = context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
    const login = await loginWindow;
    await login.getByLabel('Email').fill('tom@acme.test');
    await login.getByRole('button', { name: 'Continue' }).click();
    // No member of Acme (yet): the password step, as for any address, with Acme's single sign-on beside it.
    await login.getByLabel('Password').waitFor();
    await login.getByRole('link', { name: 'Sign in with Acme single sign-on' }).click();
    await login.waitForURL((url) => url.host.startsWith('sso.acme.'));
    await fillSsoLogin(login, 'tom@acme.test');
    await login.getByRole('heading', { name: 'You can’t sign in to Twilio yet' }).waitFor();
    expect(await login.getByRole('alert').textContent()).toBe(
      'tom@acme.test does not have access to Twilio yet. Ask your administrator to add you.',
    );
    expect(await popup.getByRole('button', { name: 'Sign in with Twilio' }).isVisible()).toBe(true);
  });
});

describe('the organization page, for Acme’s admin', () => {
  it('ida adds a domain, publishes its TXT record on the demo DNS page and verifies it; a bad IdP metadata comes back inline; axe finds nothing', async () => {
    const { s } = await signedInBySso('ida@acme.test');
    const page = await openConsole(s);
    await page.getByRole('link', { name: 'Manage your organization' }).click();
    await page.waitForURL(`${s.world.urls.console}/organization`);
    await page.getByRole('heading', { name: 'Organization: Acme' }).waitFor();

    await page.getByLabel('Add a domain').fill('ida-labs.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByText('Domain added. Publish its TXT record, then verify it.').waitFor();
    const row = page.getByTestId('domain-ida-labs.test');
    const name = (await row.getByTestId('txt-name').textContent()) ?? '';
    const value = (await row.getByTestId('txt-value').textContent()) ?? '';
    expect(name).toBe('_twilio-verification.ida-labs.test');

    const dns = await s.browser.context.newPage();
    await dns.goto(`${s.world.urls.login}/dev/dns`);
    await dns.getByLabel('Record name').fill(name);
    await dns.getByLabel('TXT value').fill(value);
    await dns.getByRole('button', { name: 'Publish TXT record' }).click();
    await dns.getByRole('cell', { name: value }).waitFor();
    await expectAccessible(dns);
    await dns.close();

    await row.getByRole('button', { name: 'Verify ida-labs.test' }).click();
    await page.getByText('Domain verified: single sign-on and SCIM now apply to its users.').waitFor();
    expect(await page.getByTestId('domain-ida-labs.test').locator('td').first().textContent()).toContain(
      'by ida@acme.test',
    );

    await page.getByLabel('IdP metadata XML').fill('<EntityDescriptor/>');
    await page.getByRole('button', { name: 'Replace identity provider' }).click();
    const alert = page.locator('#idp-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The metadata must be one SAML 2.0 <EntityDescriptor>.');
    expect(await page.getByLabel('IdP metadata XML').inputValue()).toBe('<EntityDescriptor/>');
    await expectAccessible(page);
  });

  it('an IdP-initiated sign-in as sam over ada’s Console session asks first; continuing signs ada out and sam in', async () => {
    stage = await startStage();
    stage.world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: true });
    const page = await stage.browser.context.newPage();
    await page.goto(`${stage.world.urls.console}/`);
    await fillTwilioLogin(page, 'ada@example.com');
    await page.waitForURL(`${stage.world.urls.console}/`);

    await page.goto(`${stage.world.urls.acme}/start/twilio`);
    await page.getByLabel('Acme email').fill('sam@acme.test');
    await page.getByLabel('Acme password').fill('acme-pass-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Switch to sam@acme.test?' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out ada@example.com and continue as sam@acme.test' }).click();
    await page.waitForURL(`${stage.world.urls.console}/`);
    expect(await page.getByTestId('user-email').textContent()).toBe('sam@acme.test');
  });
});
