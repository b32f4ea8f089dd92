/**
 * The extension in real Firefox (Debian's firefox-esr, headless, over WebDriver BiDi): ada signs in from the popup,
 * the Console's switcher lists the products, and she switches to Segment and back.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FIREFOX_ADDON_ID, FIREFOX_REDIRECT_URI } from '../../contract/catalogue';
import { createWorld, type World } from '../../mock-server/app';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from '../../scripts/lib/firefox';
import { DEMO_PASSWORD } from '../../scripts/lib/journeys';
import { openExtensionPage } from './firefox';
import { E2E_PORT } from './world';

let world: World | undefined;
let firefox: FirefoxWithExtension | undefined;
afterEach(async () => {
  await firefox?.close();
  await world?.close();
  firefox = undefined;
  world = undefined;
});

/**
 * Signs in on the Twilio login, identifier first (the email and Continue, then the password and Continue); in
 * the identity API's window, Firefox closes the window instead of navigating after the last step.
 */
async function fillTwilioLogin(page: Page, email: string, { inLoginWindow = false } = {}): Promise<void> {
  await page.locator('input[name="email"]').fill(email);
  await Promise.all([page.waitForNavigation(), page.locator('::-p-text(Continue)').click()]);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  const submit = page.locator('::-p-text(Continue)').click();
  await (inLoginWindow ? submit : Promise.all([page.waitForNavigation(), submit]));
}

/** The next page Firefox opens (the identity API's login window). */
async function nextPage(browser: Browser): Promise<Page> {
  const target = await browser.waitForTarget((t) => t.type() === 'page' && t.url().includes('login.twilio'));
  return (await target.page())!;
}

/** Opens the injected switcher with a click (its shadow root is open in the e2e build); its items' names. */
async function switcherItems(page: Page): Promise<string[]> {
  const button = await page.waitForSelector('#product-switcher-slot >>> button[aria-haspopup="menu"]');
  if ((await button!.evaluate((b) => b.getAttribute('aria-expanded'))) !== 'true') {
    await button!.click();
  }
  await page.waitForSelector('#product-switcher-slot >>> [role="menu"]:not([hidden]) [role="menuitem"]');
  return page.$$eval('#product-switcher-slot >>> [role="menuitem"]', (items) =>
    // Each item is named by its own text (visible words first).
    items.map((item) => item.textContent ?? ''),
  );
}

async function choose(page: Page, name: string): Promise<void> {
  await switcherItems(page);
  const items = await page.$$('#product-switcher-slot >>> [role="menuitem"]');
  const names = await Promise.all(items.map((item) => item.evaluate((element) => element.textContent ?? '')));
  const item = items[names.findIndex((text) => text.startsWith(name))];
  await Promise.all([page.waitForNavigation(), item!.click()]);
}

describe('Firefox', () => {
  it('ada signs in from the popup, sees the products in the Console switcher, switches to Segment and back', async () => {
    world = await createWorld({ port: E2E_PORT, db: ':memory:' });
    await world.listen();
    firefox = await launchFirefoxWithExtension();
    const { browser, extensionOrigin } = firefox;
    expect(firefox.addonId).toBe(FIREFOX_ADDON_ID);

    const popup = await openExtensionPage(browser, `${extensionOrigin}/src/popup/index.html`);
    // What Firefox itself gives as the redirect URL is the one the IdP registered.
    expect(await popup.evaluate(() => chrome.identity.getRedirectURL('oidc'))).toBe(FIREFOX_REDIRECT_URI);

    const loginWindow = nextPage(browser);
    await popup.locator('::-p-text(Sign in with Twilio)').click();
    await fillTwilioLogin(await loginWindow, 'ada@example.com', { inLoginWindow: true });
    await popup.waitForSelector('.account-email');
    expect(await popup.$eval('.account-email', (el) => el.textContent)).toBe('ada@example.com');

    const page = await browser.newPage();
    await page.goto(`${world.urls.console}/`);
    if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, 'ada@example.com');
    expect(new URL(page.url()).origin).toBe(world.urls.console);
    expect(await switcherItems(page)).toEqual([
      'Twilio Console, Current',
      'Segment',
      'Ada Analytics, Owner, Segment workspace',
      'SendGrid, Set up',
    ]);
    await page.keyboard.press('Escape');

    await choose(page, 'Segment');
    await page.waitForFunction(() => location.pathname.startsWith('/workspaces/'));
    expect(new URL(page.url()).origin).toBe(world.urls.segment);
    expect(await page.$eval('h1', (h) => h.textContent)).toContain('Ada Analytics');

    await choose(page, 'Twilio Console');
    await page.waitForFunction((origin) => location.origin === origin, {}, world.urls.console);
    expect(await page.$eval('body', (b) => b.textContent)).toContain('ada@example.com');
  });

  it('signed in on the Console first, the popup opens signed in with no login window (silent sign-in)', async () => {
    world = await createWorld({ port: E2E_PORT, db: ':memory:' });
    await world.listen();
    firefox = await launchFirefoxWithExtension();
    const { browser, extensionOrigin } = firefox;
    const page = await browser.newPage();
    await page.goto(`${world.urls.console}/`);
    await fillTwilioLogin(page, 'ada@example.com');
    expect(new URL(page.url()).origin).toBe(world.urls.console);

    const pagesBefore = (await browser.pages()).length;
    const popup = await openExtensionPage(browser, `${extensionOrigin}/src/popup/index.html`);
    await popup.waitForSelector('.account-email');
    expect(await popup.$eval('.account-email', (el) => el.textContent)).toBe('ada@example.com');
    // Only the popup itself was opened: Firefox's launchWebAuthFlow without interaction showed no window.
    expect((await browser.pages()).length).toBe(pagesBefore + 1);
  });
});
