import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTwilioLogin, openPopup, signInFromPopup } from '../../scripts/lib/journeys';
import { type Stage, startStage } from './world';

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage?.close();
});

/** What the background keeps in chrome.storage.session, read from the service worker itself. */
function sessionStorage(): Promise<Record<string, unknown>> {
  return stage.browser.serviceWorker.evaluate(() => chrome.storage.session.get(null));
}

async function focusedName(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent ?? null;
  });
}

describe('foundation: sign in from the popup, switch from the Console, sign out', () => {
  let popup: Page;

  it('signing in from the popup as ada shows Ada and her three products', async () => {
    const { context, extensionOrigin } = stage.browser;
    popup = await openPopup(context, extensionOrigin);
    await expect.poll(() => popup.getByRole('button', { name: 'Sign in with Twilio' }).isVisible()).toBe(true);
    await signInFromPopup(context, popup, 'ada@example.com');

    await popup.getByText('ada@example.com').waitFor();
    expect(await popup.locator('.account-name').textContent()).toBe('Ada Lovelace');
    const products = popup.locator('li.product');
    expect(await products.count()).toBe(3);
    // One link per product, named by its own text (no "Open" under every item).
    expect(await popup.locator('li[data-product="console"]').getByRole('link').textContent()).toBe(
      'Twilio Console, Messaging, voice and your Twilio account, Active',
    );
    // Only the verified tokens stay in session storage; the one-time PKCE verifier, state and nonce are gone.
    const stored = await sessionStorage();
    expect(Object.keys(stored)).toEqual(['tokens']);
    expect(stored.tokens).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      idToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      sub: expect.any(String),
    });
  });

  it('the popup loads one classic script, with its CSS inline: nothing else to fetch before its first paint', async () => {
    const page = await openPopup(stage.browser.context, stage.browser.extensionOrigin);
    await page.getByText('ada@example.com').waitFor();
    const loaded = await page.evaluate(() => ({
      scripts: [...document.scripts].map((script) => ({ src: new URL(script.src).pathname, type: script.type })),
      // Only links that fetch nothing: `expect` holds the first frame until the script has rendered.
      links: [...document.querySelectorAll('link')].map((link) => link.rel),
      inlineStyles: [...document.styleSheets].filter((sheet) => sheet.href === null).length,
    }));
    expect(loaded).toEqual({ scripts: [{ src: '/src/popup/popup.js', type: '' }], links: ['expect'], inlineStyles: 1 });
    await page.close();
  });

  it('the Console shows the injected switcher, operable by keyboard', async () => {
    const page = await stage.browser.context.newPage();
    await page.goto(`${stage.world.urls.console}/`);
    // The extension's sign-in left a Twilio session, so the Console may sign in without a prompt.
    if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, 'ada@example.com');
    await page.waitForURL(`${stage.world.urls.console}/**`);
    await page.getByText('Ada Lovelace').first().waitFor();

    const slot = page.locator('#product-switcher-slot');
    const button = slot.getByRole('button', { name: /Switch product/ });
    await button.waitFor();
    // Mounted once, inside the page's navigation.
    expect(await page.locator('nav #product-switcher-slot uls-switcher').count()).toBe(1);

    await button.focus();
    await page.keyboard.press('Enter');
    const menu = slot.getByRole('menu', { name: 'Products' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const items = menu.getByRole('menuitem');
    // The three products, with Ada's Segment workspace listed under Segment.
    await expect
      .poll(async () => Promise.all((await items.all()).map((item) => item.textContent())))
      .toEqual(['Twilio Console, Current', 'Segment', 'Ada Analytics, Owner, Segment workspace', 'SendGrid, Set up']);
    await expect.poll(() => focusedName(page)).toMatch(/^Twilio Console/);
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toMatch(/^Segment/);
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toMatch(/^Ada Analytics/);
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toMatch(/^SendGrid/);
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toMatch(/^Twilio Console/);

    await page.keyboard.press('ArrowUp');

    await page.keyboard.press('Escape');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.isVisible()).toBe(false);
    expect(await focusedName(page)).toMatch(/^Twilio Console, Switch product/);
    await page.close();
  });

  it('signing out of the extension only shows signed out and clears the tokens', async () => {
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Sign out of this extension only' }).click();
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    expect(await popup.getByText('ada@example.com').count()).toBe(0);
    // No tokens; only the note that holds back silent sign-in until ada signs in herself.
    expect(await sessionStorage()).toEqual({ sessionNote: { noSilentSignIn: true } });
  });
});
