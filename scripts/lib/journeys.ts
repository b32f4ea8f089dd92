/** Steps a person takes, shared by the e2e tests and the bench. */
import type { BrowserContext, Page } from 'playwright-core';

export const DEMO_PASSWORD = 'demo-pass-2026';

/** Fills the Twilio login form on `page` (email, password, Continue). */
export async function fillTwilioLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Opens the popup as a tab (Playwright cannot click the toolbar button). */
export async function openPopup(context: BrowserContext, extensionOrigin: string): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 560 });
  await popup.goto(`${extensionOrigin}/src/popup/index.html`);
  return popup;
}

/**
 * Signs in from the popup: "Sign in with Twilio" opens the IdP's login window (chrome.identity.launchWebAuthFlow,
 * an ordinary page to Playwright), where the user types their credentials.
 */
export async function signInFromPopup(context: BrowserContext, popup: Page, email: string): Promise<void> {
  const loginWindow = context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
  const login = await loginWindow;
  await login.waitForLoadState('domcontentloaded');
  await fillTwilioLogin(login, email);
}

/** Opens the injected switcher on `page` with the keyboard and returns its menu. */
export async function openSwitcher(page: Page) {
  const button = page.locator('#product-switcher-slot').getByRole('button', { name: /Switch product/ });
  await button.waitFor();
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.locator('#product-switcher-slot').getByRole('menu', { name: 'Products' });
  await menu.waitFor();
  return { button, menu };
}

/** Chooses the switcher item whose accessible name starts with `name` and waits for the navigation it starts. */
export async function chooseInSwitcher(page: Page, name: RegExp) {
  const { menu } = await openSwitcher(page);
  const item = menu.getByRole('menuitem', { name });
  await item.first().waitFor();
  await Promise.all([page.waitForEvent('framenavigated'), item.first().click()]);
  await page.waitForLoadState('domcontentloaded');
}
