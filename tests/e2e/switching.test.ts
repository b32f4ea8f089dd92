import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { launchPlain } from '../../scripts/lib/extension-browser';
import {
  chooseInSwitcher,
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

/** A fresh world and browser, with `email` signed in to the extension (which leaves a Twilio session too). */
async function signedIn(email: string): Promise<{ stage: Stage; popup: Page }> {
  stage = await startStage();
  const { context, extensionOrigin } = stage.browser;
  const popup = await openPopup(context, extensionOrigin);
  await signInFromPopup(context, popup, email);
  await popup.locator('.account-email').waitFor();
  return { stage, popup };
}

/** Opens the Console, signing in through the Twilio login only if the IdP asks. */
async function openConsole(s: Stage, email: string): Promise<Page> {
  const page = await s.browser.context.newPage();
  await page.goto(`${s.world.urls.console}/`);
  if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, email);
  await page.waitForURL(`${s.world.urls.console}/**`);
  return page;
}

/** What the switcher's Segment item says, opening the menu (which rechecks) and closing it again. */
async function segmentInSwitcher(page: Page): Promise<string | null> {
  const { menu } = await openSwitcher(page);
  const text = await menu
    .getByRole('menuitem', { name: /^Segment/ })
    .first()
    .textContent();
  await page.keyboard.press('Escape');
  return text;
}

async function productStatus(popup: Page, product: string): Promise<string | null> {
  return popup.locator(`li[data-product="${product}"] .badge`).textContent();
}

describe('switching products and first-time set-up', () => {
  it('ben links his Segment user from the switcher, lands in Ben Co as Member, switches back, and his old Segment password is refused', async () => {
    const { stage: s } = await signedIn('ben@example.com');
    const page = await openConsole(s, 'ben@example.com');

    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.login}/setup/segment`);
    await page.getByLabel('Segment password').fill('segment-pass-2026');
    await page.getByRole('button', { name: 'Link Segment user' }).click();

    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Ben Co');
    expect(await page.getByTestId('workspace-role').textContent()).toBe('Member');

    // The switcher in Segment leads back to the Console.
    await chooseInSwitcher(page, /^Twilio Console/);
    await page.waitForURL(`${s.world.urls.console}/**`);
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    expect(await page.locator('body').textContent()).toContain('ben@example.com');

    // Signed out everywhere in this browser, the old Segment password no longer signs in to Segment.
    await s.browser.context.clearCookies();
    await page.goto(`${s.world.urls.segment}/login`);
    await page.getByLabel('Email').fill('ben@example.com');
    await page.getByLabel('Password').fill('segment-pass-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname.startsWith('/workspaces/')).toBe(false);
    const landedAt = new URL(page.url());
    // Either Segment's refusal pointing to the Twilio login, or the Twilio login itself with the email filled in.
    if (landedAt.host === new URL(s.world.urls.segment).host) {
      expect(await page.getByRole('alert').textContent()).toContain('signs in with a Twilio login');
    } else {
      expect(landedAt.host).toBe(new URL(s.world.urls.login).host);
      expect(await page.getByLabel('Email').inputValue()).toBe('ben@example.com');
    }
  });

  it('cleo creates Segment and SendGrid users, and both show as set up in the popup', async () => {
    const { stage: s, popup } = await signedIn('cleo@example.com');
    expect(await productStatus(popup, 'segment')).toBe('Not set up');
    const page = await openConsole(s, 'cleo@example.com');

    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.login}/setup/segment`);
    await page.getByRole('button', { name: 'Create Segment user' }).click();
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByTestId('workspace-role').textContent()).toBe('Owner');

    await chooseInSwitcher(page, /^SendGrid/);
    await page.waitForURL(`${s.world.urls.login}/setup/sendgrid`);
    expect(await page.getByTestId('no-sendgrid-linking').textContent()).toContain('not available');
    await page.getByRole('button', { name: 'Create SendGrid user' }).click();
    await page.waitForURL(`${s.world.urls.sendgrid}/**`);

    await popup.reload();
    await expect.poll(() => productStatus(popup, 'segment')).toBe('Linked');
    await expect.poll(() => productStatus(popup, 'sendgrid')).toBe('Linked');
  });

  it('dan sees Segment and SendGrid in limited release, each offering "Request access" and no link', async () => {
    const { stage: s, popup } = await signedIn('dan@example.com');
    for (const product of ['segment', 'sendgrid']) {
      expect(await productStatus(popup, product)).toBe('Limited release');
      expect(await popup.locator(`li[data-product="${product}"] .request button`).textContent()).toBe('Request access');
      expect(await popup.locator(`li[data-product="${product}"] a`).count()).toBe(0);
    }
    const page = await openConsole(s, 'dan@example.com');
    const { menu } = await openSwitcher(page);
    const segment = menu.getByRole('menuitem', { name: /^Segment/ });
    expect(await segment.textContent()).toBe('Segment, Request access');
  });

  it('dan requests access from the switcher, support grants it, and his switcher offers Segment set-up without a new login', async () => {
    const { stage: s } = await signedIn('dan@example.com');
    const page = await openConsole(s, 'dan@example.com');
    const prompts: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && new URL(frame.url()).pathname.startsWith('/interaction/'))
        prompts.push(frame.url());
    });
    const { menu } = await openSwitcher(page);
    const segment = menu.getByRole('menuitem', { name: /^Segment/ }).first();
    expect(await segment.textContent()).toBe('Segment, Request access');
    await segment.click();
    await expect.poll(() => segmentInSwitcher(page)).toMatch(/^Segment, Access requested/);

    // The support operator, in a browser of their own, grants it on the support page of the login host.
    const support = await launchPlain();
    try {
      const desk = await support.context.newPage();
      await desk.goto(`${s.world.urls.login}/support/access-requests`);
      await fillTwilioLogin(desk, 'sol@example.com');
      await desk.waitForURL(`${s.world.urls.login}/support/access-requests**`);
      await desk.getByRole('button', { name: 'Grant access to Dan Reyes' }).click();
      await desk.getByText('Granted: Dan Reyes can now set up Segment and SendGrid.').waitFor();
    } finally {
      await support.close();
    }

    // Dan's switcher learns it when opened again (it rechecks); choosing Segment starts its set-up, no password.
    await expect.poll(() => segmentInSwitcher(page)).toBe('Segment, Set up');
    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.login}/setup/segment**`);
    expect(prompts).toEqual([]);
  });

  it('ada goes Console → Segment → SendGrid set-up → Console with no password prompt after the first login', async () => {
    const { stage: s } = await signedIn('ada@example.com');
    const page = await openConsole(s, 'ada@example.com');
    const prompts: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && new URL(frame.url()).pathname.startsWith('/interaction/'))
        prompts.push(frame.url());
    });

    await chooseInSwitcher(page, /^Segment/);
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Ada Analytics');

    await chooseInSwitcher(page, /^SendGrid/);
    await page.waitForURL(`${s.world.urls.login}/setup/sendgrid`);

    await page.goto(`${s.world.urls.console}/`);
    await page.waitForURL(`${s.world.urls.console}/**`);
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    expect(prompts).toEqual([]);
  });
});
