/**
 * The server's own pages in real Chromium, without the extension: request access and support's decision, a retired
 * Segment password, the timezone in Segment's session history, the navigation at 390 px, and axe over the login,
 * set-up, settings, error and support pages, light and dark.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { launchPlain } from '../../scripts/lib/extension-browser';
import { fillTwilioLogin } from '../../scripts/lib/journeys';
import { axeViolations } from './axe';

let world: World;
let plain: Awaited<ReturnType<typeof launchPlain>>;

beforeAll(async () => {
  world = await createWorld({ port: await freePort(), db: ':memory:' });
  await world.listen();
  plain = await launchPlain();
});

afterAll(async () => {
  await plain?.close();
  await world?.close();
});

/** A fresh browser session (own cookies), signed in to the Console as `email`. */
async function consoleAs(email: string): Promise<Page> {
  const context = await plain.context.browser()!.newContext();
  const page = await context.newPage();
  await page.goto(`${world.urls.console}/`);
  await fillTwilioLogin(page, email);
  await page.waitForURL(`${world.urls.console}/`);
  return page;
}

describe('request access, in the browser', () => {
  it('dan requests access on the set-up page, sol grants it, and dan can set up Segment without signing in again', async () => {
    const dan = await consoleAs('dan@example.com');
    await dan.goto(`${world.urls.login}/setup/segment`);
    await dan.getByRole('heading', { name: 'Segment is not available yet' }).waitFor();
    expect(await axeViolations(dan)).toEqual([]);
    await dan.getByRole('button', { name: 'Request access' }).click();
    await dan.getByTestId('access-requested').waitFor();
    expect(await dan.getByRole('status').first().textContent()).toContain('Access requested');

    const sol = await plain.context
      .browser()!
      .newContext()
      .then((context) => context.newPage());
    await sol.goto(`${world.urls.login}/support/access-requests`);
    await fillTwilioLogin(sol, 'sol@example.com');
    await sol.waitForURL(`${world.urls.login}/support/access-requests`);
    expect(await axeViolations(sol)).toEqual([]);
    await sol.getByRole('button', { name: 'Grant access to Dan Reyes' }).click();
    await sol.getByText('Granted: Dan Reyes can now set up Segment and SendGrid.').waitFor();

    await dan.reload();
    await dan.getByRole('heading', { name: 'Set up Segment' }).waitFor();
    expect(await dan.getByRole('button', { name: 'Create Segment user' }).isVisible()).toBe(true);
    expect(await axeViolations(dan)).toEqual([]);

    const ada = await consoleAs('ada@example.com');
    const refused = await ada.goto(`${world.urls.login}/support/access-requests`);
    expect(refused?.status()).toBe(403);
    await ada.getByRole('heading', { name: 'This page is for Twilio support' }).waitFor();
  });
});

describe("ben's retired Segment password", () => {
  it('leads to the Twilio login with a line saying his Segment user now signs in with his Twilio login', async () => {
    await world.setups.linkSegmentUser(world.users.findByEmail('ben@example.com')!, 'segment-pass-2026');
    const page = await plain.context
      .browser()!
      .newContext()
      .then((context) => context.newPage());
    await page.goto(`${world.urls.segment}/login`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill('ben@example.com');
    await page.getByLabel('Password').fill('segment-pass-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${world.urls.login}/interaction/**`);
    expect(await page.getByTestId('product-notice').textContent()).toBe(
      'Your Segment user ben@example.com now signs in with your Twilio login, so its Segment password no longer works. Enter your Twilio password instead.',
    );
    expect(await page.getByLabel('Email').inputValue()).toBe('ben@example.com');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("Segment's settings", () => {
  it('show the session history in the timezone chosen, named, and change when it changes', async () => {
    const page = await consoleAs('ada@example.com');
    await page.goto(`${world.urls.segment}/login/twilio?next=%2Fsettings`);
    await page.waitForURL(`${world.urls.segment}/settings`);
    const history = page.getByTestId('session-history');
    const firstTime = () => history.locator('tbody tr').first().locator('time').textContent();
    expect(await firstTime()).toMatch(/\(UTC\)$/);
    expect(await history.locator('tbody tr').first().locator('td').nth(2).textContent()).toMatch(/ on Linux$/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('textbox', { name: 'Timezone' }).fill('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save timezone' }).click();
    await page.getByTestId('history-zone').waitFor();
    expect(await page.getByTestId('history-zone').textContent()).toBe('Times in Asia/Tokyo, your Segment timezone.');
    expect(await firstTime()).toMatch(/\(Asia\/Tokyo\)$/);
  });
});

describe('the Console', () => {
  it('keeps its navigation inside 390 px, and its settings, account and error pages pass axe', async () => {
    const page = await consoleAs('cleo@example.com');
    await page.setViewportSize({ width: 390, height: 800 });
    for (const path of ['/', '/account', '/settings', '/settings/two-factor']) {
      await page.goto(`${world.urls.console}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: 390 });
      expect(
        await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).isVisible(),
      ).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
    }
    const missing = await page.goto(`${world.urls.console}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Nothing here' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
