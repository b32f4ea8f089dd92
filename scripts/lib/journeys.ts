/** Steps a person takes, shared by the e2e tests and the bench. */
import type { BrowserContext, Page } from 'playwright-core';

export const DEMO_PASSWORD = 'demo-pass-2026';

export const ACME_PASSWORD = 'acme-pass-2026';

/**
 * Signs in on the Twilio login on `page`, identifier first: the email and Continue (unless a `login_hint`
 * already gave it), then the password and Continue.
 */
export async function fillTwilioLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Email').waitFor();
  const passwordField = page.getByLabel('Password');
  if (!(await passwordField.isVisible())) {
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await passwordField.fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Signs in by SSO: the email at Twilio (unless a `login_hint` already sent the browser on), then the
 * organization's IdP (the bundled Acme IdP) with its own password.
 */
export async function fillSsoLogin(page: Page, email: string, idpPassword = ACME_PASSWORD): Promise<void> {
  if (new URL(page.url()).host.startsWith('login.')) {
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL((url) => url.host.startsWith('sso.acme.'));
  await page.getByLabel('Acme password').fill(idpPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
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
export async function signInFromPopup(
  context: BrowserContext,
  popup: Page,
  email: string,
  { sso = false }: { sso?: boolean } = {},
): Promise<Page> {
  const loginWindow = context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
  const login = await loginWindow;
  await login.waitForLoadState('domcontentloaded');
  if (sso) await fillSsoLogin(login, email);
  else await fillTwilioLogin(login, email);
  return login;
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
