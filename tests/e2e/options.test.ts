/**
 * The options page: the tester points the extension at a world on another port, and the popup signs in against
 * that world; the switcher answers on that world's Console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { fillTwilioLogin, openPopup, openSwitcher } from '../../scripts/lib/journeys';
import { type Stage, startStage } from './world';

let stage: Stage | undefined;
let other: World | undefined;
afterEach(async () => {
  await stage?.close();
  await other?.close();
  stage = undefined;
  other = undefined;
});

describe('options page', () => {
  it('refuses a bad port, tests the connection, saves, and the popup then signs in to the world on that port', async () => {
    stage = await startStage();
    const port = await freePort();
    other = await createWorld({ port, db: ':memory:' });
    await other.listen();
    const { context, extensionOrigin } = stage.browser;

    const options = await context.newPage();
    await options.goto(`${extensionOrigin}/src/options/index.html`);
    const field = options.getByLabel('Port', { exact: true });
    expect(await field.inputValue()).toBe(String(stage.world.port));

    await field.fill('80a');
    await options.getByRole('button', { name: 'Save' }).click();
    expect(await options.getByRole('alert').textContent()).toBe('The port is a whole number, digits only.');
    await field.fill('70000');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => options.getByRole('alert').textContent()).toBe('The port is between 1 and 65535.');

    await field.fill(String(port));
    expect(await options.getByRole('alert').count()).toBe(0);
    await options.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => options.locator('.check').textContent())
      .toBe(`Connected: the Twilio login answers at ${other!.issuer}.`);
    await options.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => options.locator('.saved').textContent())
      .toBe(`Saved. The extension now uses the world on port ${port}; sign in again from the toolbar.`);

    const popup = await openPopup(context, extensionOrigin);
    const loginWindow = context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).click();
    const login = await loginWindow;
    await login.waitForLoadState('domcontentloaded');
    expect(new URL(login.url()).origin).toBe(other.urls.login);
    await fillTwilioLogin(login, 'ada@example.com');
    expect(await popup.locator('.account-email').textContent()).toBe('ada@example.com');
    expect(await popup.locator('li[data-product="console"] a').getAttribute('href')).toMatch(
      new RegExp(`^${other.urls.console}/`),
    );

    // The content script's messages are trusted on the configured world's pages.
    const page = await context.newPage();
    await page.goto(`${other.urls.console}/`);
    if (new URL(page.url()).origin === other.urls.login) await fillTwilioLogin(page, 'ada@example.com');
    await page.waitForURL(`${other.urls.console}/**`);
    const { menu } = await openSwitcher(page);
    await menu.getByRole('menuitem', { name: 'Segment', exact: true }).waitFor();
  });

  it('opens from the popup', async () => {
    stage = await startStage();
    const { context, extensionOrigin } = stage.browser;
    const popup = await openPopup(context, extensionOrigin);
    const opened = context.waitForEvent('page');
    await popup.getByRole('button', { name: 'World settings' }).click();
    const options = await opened;
    await options.waitForLoadState('domcontentloaded');
    expect(options.url()).toBe(`${extensionOrigin}/src/options/index.html`);
    await options.getByRole('heading', { name: 'Login Switcher settings' }).waitFor();
  });
});
