import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTwilioLogin, openPopup, openSwitcher } from '../../scripts/lib/journeys';
import { type Stage, startStage } from './world';

let stage: Stage;
/** The offline test stops the world itself. */
let worldStopped = false;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  if (worldStopped) await stage?.browser.close();
  else await stage?.close();
});

/** The switcher items' names (each is its own visible text first), whether the menu is open or not. */
function switcherNames(page: Page): Promise<string[]> {
  return page.locator('#product-switcher-slot [role="menuitem"]').allTextContents();
}

/** Opens the switcher afresh (each opening asks the background to confirm the products). */
async function reopenSwitcher(page: Page): Promise<string[]> {
  await page.keyboard.press('Escape');
  await openSwitcher(page);
  return switcherNames(page);
}

/** Stops the extension's service worker, as Chromium does when it is idle: its memory goes, storage.session stays. */
async function stopServiceWorker(page: Page): Promise<void> {
  const browser = await stage.browser.context.browser()!.newBrowserCDPSession();
  const running = async () =>
    (await browser.send('Target.getTargets')).targetInfos.some((target) => target.type === 'service_worker');
  expect(await running()).toBe(true);
  const cdp = await stage.browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(running).toBe(false);
  await cdp.detach();
  await browser.detach();
}

/** A Console tab where ada has just signed in with her Twilio login (the web session the extension then shares). */
async function consoleSignedInAsAda(): Promise<Page> {
  const page = await stage.browser.context.newPage();
  await page.goto(`${stage.world.urls.console}/`);
  await fillTwilioLogin(page, 'ada@example.com');
  await page.waitForURL(`${stage.world.urls.console}/**`);
  return page;
}

/** A Segment tab signed in through the Twilio login's existing session (no password). */
async function segmentThroughTwilio(): Promise<Page> {
  const page = await stage.browser.context.newPage();
  await page.goto(`${stage.world.urls.segment}/login/twilio?next=%2F`);
  await page.waitForURL(`${stage.world.urls.segment}/workspaces/**`);
  return page;
}

describe('one session: the web and the extension', () => {
  it('signed in on the Console in a tab, the popup opens signed in with no login window to act on', async () => {
    const { context, extensionOrigin } = stage.browser;
    await consoleSignedInAsAda();

    const pagesBefore = context.pages().length;
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();
    expect(await popup.locator('.account-name').textContent()).toBe('Ada Lovelace');
    // Only the popup itself was opened: the silent sign-in showed no window.
    expect(context.pages().length).toBe(pagesBefore + 1);
    await popup.close();
  });

  it('"Sign out of Twilio" in the popup signs the Console and Segment tabs out and their switchers update at once', async () => {
    const { context, extensionOrigin } = stage.browser;
    const consolePage = await context.newPage();
    await consolePage.goto(`${stage.world.urls.console}/`);
    const segment = await segmentThroughTwilio();
    for (const page of [consolePage, segment]) {
      await openSwitcher(page);
      await expect.poll(() => switcherNames(page)).toContain('Ada Analytics, Owner, Segment workspace');
      await page.keyboard.press('Escape');
    }

    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();
    await popup.getByRole('button', { name: 'Sign out of Twilio' }).click();
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();

    // Without a reload, both tabs' switchers now offer the sign-in.
    for (const page of [consolePage, segment]) {
      await expect.poll(() => switcherNames(page), { timeout: 5000 }).toEqual(['Sign in with Twilio']);
    }
    // And the web sessions are gone: a reload of each lands on a login.
    await consolePage.reload();
    await expect.poll(() => new URL(consolePage.url()).host).toBe(new URL(stage.world.urls.login).host);
    await segment.reload();
    await expect.poll(() => new URL(segment.url()).pathname).toBe('/login');
    await popup.close();
  });

  it('signed out on the Console (the web page, not the popup), the Segment tab and the open popup update without reload', async () => {
    const { context, extensionOrigin } = stage.browser;
    const consolePage = await consoleSignedInAsAda();
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();
    const segment = await segmentThroughTwilio();
    await openSwitcher(segment);
    await expect.poll(() => switcherNames(segment)).toContain('Ada Analytics, Owner, Segment workspace');
    await segment.keyboard.press('Escape');
    // Marks this document: a reload or a navigation would lose it.
    await segment.evaluate(() => document.documentElement.setAttribute('data-e2e-same-document', ''));

    await consolePage.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Sign out' }).click();
    await consolePage.getByRole('button', { name: 'Yes, sign me out' }).click();
    // Signed out, the Console says so on its own page (it signs in again only when asked).
    await consolePage.waitForURL(`${stage.world.urls.console}/login?notice=signed_out_of_twilio`);

    await expect.poll(() => switcherNames(segment), { timeout: 10_000 }).toEqual(['Sign in with Twilio']);
    expect(await segment.locator('html[data-e2e-same-document]').count()).toBe(1);
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor({ timeout: 5000 });
    expect(await popup.getByRole('alert').textContent()).toBe('You signed out of Twilio — sign in again.');
    for (const page of [consolePage, segment, popup]) await page.close();
  });

  it('signed out on the Console with no product page open to notice it, the open popup says so by itself', async () => {
    const { context, extensionOrigin } = stage.browser;
    const consolePage = await consoleSignedInAsAda();
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();

    await consolePage.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Sign out' }).click();
    await consolePage.getByRole('button', { name: 'Yes, sign me out' }).click();
    await consolePage.waitForURL(`${stage.world.urls.console}/login?notice=signed_out_of_twilio`);

    // Nothing polls on a login page: the popup's own check (every few seconds while open) finds the session ended.
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor({ timeout: 10_000 });
    expect(await popup.getByRole('alert').textContent()).toBe('You signed out of Twilio — sign in again.');
    for (const page of [consolePage, popup]) await page.close();
  });

  it('why the session ended survives the service worker stopping: the popup says it on its next open', async () => {
    const { context, extensionOrigin, serviceWorker } = stage.browser;
    const consolePage = await consoleSignedInAsAda();
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();
    await popup.close();
    const segment = await segmentThroughTwilio();

    await consolePage.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Sign out' }).click();
    await consolePage.getByRole('button', { name: 'Yes, sign me out' }).click();
    // The Segment tab's switcher asks again while it is visible: the background finds out the session ended.
    await expect.poll(() => switcherNames(segment), { timeout: 10_000 }).toEqual(['Sign in with Twilio']);
    expect(await serviceWorker.evaluate(() => chrome.storage.session.get('tokens'))).toEqual({});

    await stopServiceWorker(segment);

    const reopened = await openPopup(context, extensionOrigin);
    await reopened.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    expect(await reopened.getByRole('alert').textContent()).toBe('You signed out of Twilio — sign in again.');
    for (const page of [consolePage, segment, reopened]) await page.close();
  });

  it('with the world stopped, the switcher says offline with the last confirmed time and does not navigate', async () => {
    const { context, extensionOrigin } = stage.browser;
    const popup = await openPopup(context, extensionOrigin);
    const loginWindow = context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
    const login = await loginWindow;
    await fillTwilioLogin(login, 'ada@example.com');
    await popup.getByText('ada@example.com').waitFor();

    const page = await context.newPage();
    await page.goto(`${stage.world.urls.console}/`);
    await page.waitForURL(`${stage.world.urls.console}/**`);
    await openSwitcher(page);
    await expect.poll(() => switcherNames(page)).toContain('Segment');
    await page.keyboard.press('Escape');

    await stage.world.close();
    worldStopped = true;
    // Opening again confirms the products at most every couple of seconds; until then it shows what it had.
    await expect
      .poll(async () => (await reopenSwitcher(page))[0], { timeout: 10_000, interval: 500 })
      .toMatch(/^Offline · last confirmed \d{1,2}:\d{2}/);
    const url = page.url();
    await page
      .locator('#product-switcher-slot')
      .getByRole('menuitem', { name: /^Segment/ })
      .first()
      .click();
    await expect
      .poll(() => page.locator('#product-switcher-slot').getByRole('status').textContent())
      .toMatch(/^Segment can't be reached while the Twilio login is offline/);
    expect(page.url()).toBe(url);

    // The popup shows the last known products, marked offline, and offers "Try again".
    await popup.reload();
    await popup.getByText('ada@example.com').waitFor();
    await popup.getByRole('button', { name: 'Try again' }).waitFor();
    expect(await popup.locator('.offline').textContent()).toMatch(/^Offline\. These are your products as of/);
  });
});
