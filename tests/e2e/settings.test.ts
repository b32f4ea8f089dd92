import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../mock-server/accounts/totp';
import { EVE_TOTP_SECRET, SEGMENT_DEMO_PASSWORD } from '../../mock-server/seed';
import {
  chooseInSwitcher,
  DEMO_PASSWORD,
  fillTwilioLogin,
  openPopup,
  openSwitcher,
  signInFromPopup,
} from '../../scripts/lib/journeys';
import { type Stage, startStage } from './world';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

async function newStage(): Promise<Stage> {
  stage = await startStage();
  return stage;
}

/** Signs in from the popup as eve: password, then the TOTP step with `code`. Returns the login window. */
async function signInEve(s: Stage, popup: Page, code: string): Promise<Page> {
  const loginWindow = s.browser.context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
  const login = await loginWindow;
  await login.waitForLoadState('domcontentloaded');
  await fillTwilioLogin(login, 'eve@example.com');
  await login.getByLabel('Authentication code').fill(code);
  await login.getByRole('button', { name: 'Verify' }).click();
  return login;
}

/** Signs `email` in to the Console in a new tab (through the Twilio login). */
async function consoleAs(s: Stage, email: string): Promise<Page> {
  const page = await s.browser.context.newPage();
  await page.goto(`${s.world.urls.console}/`);
  if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, email);
  await page.waitForURL(`${s.world.urls.console}/**`);
  return page;
}

async function requestEmailChange(page: Page, s: Stage, newEmail: string): Promise<void> {
  await page.goto(`${s.world.urls.console}/settings/email`);
  await page.getByLabel('New email').fill(newEmail);
  await page.getByLabel('Current password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Send verification link' }).click();
  await page.waitForLoadState('domcontentloaded');
}

describe('unified settings and sign-out everywhere', () => {
  it('eve signs in with TOTP, and the same code is refused when she signs in again within its step', async () => {
    const s = await newStage();
    const popup = await openPopup(s.browser.context, s.browser.extensionOrigin);
    const code = currentTotpCode(EVE_TOTP_SECRET, Date.now());
    await signInEve(s, popup, code);
    await popup.getByText('eve@example.com').waitFor();

    await popup.getByRole('button', { name: 'Sign out of this extension only' }).click();
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    // End the Twilio session too, so the login asks for the password and the code again.
    await s.browser.context.clearCookies({ domain: new URL(s.world.urls.login).hostname });

    const login = await signInEve(s, popup, code);
    expect(await login.getByRole('alert').textContent()).toBe(
      'That code was just used. Wait for the next code in your authenticator app and enter it.',
    );
    expect(await popup.getByText('eve@example.com').count()).toBe(0);
  });

  it('ada changes her email through the dev mailbox, then opens Segment from the switcher without a prompt and sees it there', async () => {
    const s = await newStage();
    await signInFromPopup(
      s.browser.context,
      await openPopup(s.browser.context, s.browser.extensionOrigin),
      'ada@example.com',
    );
    const page = await consoleAs(s, 'ada@example.com');
    const newEmail = 'ada.lovelace@example.com';
    await requestEmailChange(page, s, newEmail);

    await page.goto(`${s.world.urls.login}/dev/mailbox?to=${encodeURIComponent(newEmail)}`);
    await page.locator('a[href*="/settings/email/verify"]').first().click();
    await page.getByRole('button', { name: 'Confirm new email' }).click();
    await page.waitForURL(`${s.world.urls.console}/**`);

    const prompts: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && new URL(frame.url()).pathname.startsWith('/interaction/'))
        prompts.push(frame.url());
    });
    await page.goto(`${s.world.urls.console}/`);
    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    await page.goto(`${s.world.urls.segment}/settings`);
    expect(await page.locator('body').textContent()).toContain(newEmail);
    expect(prompts).toEqual([]);
  });

  it('nia changes her Segment email: the mailbox link opens a confirm page with Segment’s navigation, then the new email signs in', async () => {
    const s = await newStage();
    const page = await s.browser.context.newPage();
    await page.goto(`${s.world.urls.segment}/login`);
    await page.getByLabel('Email').fill('nia@benco.example');
    await page.getByLabel('Password').fill(SEGMENT_DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);

    const newEmail = 'nia.adeyemi@benco.example';
    await page.goto(`${s.world.urls.segment}/settings`);
    await page.getByLabel('New email').fill(newEmail);
    await page.locator('#email-current-password').fill(SEGMENT_DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Change email' }).click();
    await page.getByRole('status').getByText('We sent a link to your new email.').waitFor();
    expect(await page.getByTestId('user-email').textContent()).toBe('nia@benco.example');

    await page.goto(`${s.world.urls.login}/dev/mailbox?to=${encodeURIComponent(newEmail)}`);
    await page.locator('a[href*="/settings/email/verify"]').first().click();
    await page.waitForURL(`${s.world.urls.segment}/settings/email/verify?**`);
    await page.getByRole('heading', { name: 'Confirm your new email' }).waitFor();
    // The confirm page is a Segment page like the others: its navigation, with the extension's switcher in it.
    await page.getByRole('navigation', { name: 'Segment' }).waitFor();
    await openSwitcher(page);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Use this email' }).click();
    await page.getByRole('status').getByText('Your email is changed.').waitFor();
    expect(await page.getByTestId('user-email').textContent()).toBe(newEmail);

    // In effect: signed in afresh, the old email is refused and the new one lands in Segment.
    await s.browser.context.clearCookies({ domain: new URL(s.world.urls.segment).hostname });
    for (const [email, lands] of [
      ['nia@benco.example', false],
      [newEmail, true],
    ] as const) {
      await page.goto(`${s.world.urls.segment}/login`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(SEGMENT_DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      if (lands) await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
      else await page.getByRole('alert').waitFor();
    }
  });

  it("cleo tries frank's SendGrid email and is told why not", async () => {
    const s = await newStage();
    const page = await consoleAs(s, 'cleo@example.com');
    await requestEmailChange(page, s, 'frank@example.net');
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('frank@example.net');
    expect(alert).toContain('SendGrid');
    await page.goto(`${s.world.urls.console}/`);
    expect(await page.locator('body').textContent()).toContain('cleo@example.com');
  });

  it('signing out in the Console signs the Segment tab out and the popup shows signed out', async () => {
    const s = await newStage();
    const { context, extensionOrigin } = s.browser;
    const popup = await openPopup(context, extensionOrigin);
    await signInFromPopup(context, popup, 'ada@example.com');
    await popup.locator('.account-email').waitFor();

    const segment = await context.newPage();
    await segment.goto(`${s.world.urls.segment}/login/twilio?next=%2F`);
    await segment.waitForURL(`${s.world.urls.segment}/workspaces/**`);

    const consolePage = await consoleAs(s, 'ada@example.com');
    await consolePage.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Sign out' }).click();
    await consolePage.getByRole('button', { name: 'Yes, sign me out' }).click();
    await consolePage.waitForLoadState('domcontentloaded');

    await segment.reload();
    await expect.poll(() => new URL(segment.url()).pathname).toBe('/login');

    await popup.reload();
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    expect(await popup.getByText('ada@example.com').count()).toBe(0);
  });
});
