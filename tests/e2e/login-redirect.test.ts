import { afterEach, describe, expect, it } from 'vitest';
import { launchPlain } from '../../scripts/lib/extension-browser';
import { DEMO_PASSWORD, openPopup, signInFromPopup } from '../../scripts/lib/journeys';
import { expectAccessible } from './axe';
import { type Stage, startStage } from './world';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

describe('redirect on detected email', () => {
  it('ada types her email on Segment’s login page, sees the notice and lands in Segment after the Twilio login', async () => {
    stage = await startStage();
    const s = stage;
    const page = await s.browser.context.newPage();
    await page.goto(`${s.world.urls.segment}/login`);
    await page.getByLabel('Email').pressSequentially('ada@example.com');

    const notice = page
      .locator('uls-login-redirect')
      .getByRole('group', { name: 'This email signs in with your Twilio login' });
    await notice.waitFor();
    expect(await page.locator('uls-login-redirect').getByRole('status').textContent()).toMatch(/^Continuing in \d…$/);
    // The password field is left alone.
    expect(await page.getByLabel('Password').inputValue()).toBe('');

    await page.locator('uls-login-redirect').getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL(`${s.world.urls.login}/interaction/**`);
    expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Ada Analytics');
  });

  it('with "Continue to the Twilio login automatically" turned off, an open Segment login page’s notice waits for Continue', async () => {
    stage = await startStage();
    const s = stage;
    const { context, extensionOrigin } = s.browser;
    // Opened before the change: the notice reads the setting when it appears, without a reload.
    const page = await context.newPage();
    await page.goto(`${s.world.urls.segment}/login`);

    const options = await context.newPage();
    await options.goto(`${extensionOrigin}/src/options/index.html`);
    const checkbox = options.getByRole('checkbox', { name: 'Continue to the Twilio login automatically' });
    expect(await checkbox.isChecked()).toBe(true);
    await checkbox.focus();
    await options.keyboard.press('Space');
    await expect
      .poll(() => options.locator('#auto-continue-status').textContent())
      .toBe('Saved. The notice now waits for you to choose Continue, on pages already open too.');
    expect(await checkbox.isChecked()).toBe(false);
    await expectAccessible(options);

    await page.bringToFront();
    await page.getByLabel('Email').pressSequentially('ada@example.com');
    const notice = page
      .locator('uls-login-redirect')
      .getByRole('group', { name: 'This email signs in with your Twilio login' });
    await notice.waitFor();
    const status = notice.getByRole('status');
    expect(await status.textContent()).toBe('Waiting for you to choose Continue.');
    // Well past the 3-second countdown it would otherwise have run.
    await page.waitForTimeout(5000);
    expect(page.url()).toBe(`${s.world.urls.segment}/login`);
    expect(await status.textContent()).toBe('Waiting for you to choose Continue.');
    await expectAccessible(page, { include: ['uls-login-redirect'] });

    await notice.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL(`${s.world.urls.login}/interaction/**`);
    expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
  });

  it('frank types his email on SendGrid’s login page: no notice, and his SendGrid password works as before', async () => {
    stage = await startStage();
    const s = stage;
    const page = await s.browser.context.newPage();
    await page.goto(`${s.world.urls.sendgrid}/login`);
    await page.getByLabel('Email').pressSequentially('frank@example.net');
    // Well past the debounce and the lookup: the notice host stays hidden.
    await page.waitForTimeout(1500);
    expect(await page.locator('uls-login-redirect').isVisible()).toBe(false);

    await page.getByLabel('Password').fill('sendgrid-pass-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${s.world.urls.sendgrid}/accounts/**`);
    expect(new URL(page.url()).host).toBe(new URL(s.world.urls.sendgrid).host);
  });

  it('without the extension, submitting ada’s email on Segment still redirects to the Twilio login', async () => {
    stage = await startStage();
    const s = stage;
    const plain = await launchPlain();
    try {
      const page = await plain.context.newPage();
      await page.goto(`${s.world.urls.segment}/login`);
      expect(await page.locator('uls-login-redirect').count()).toBe(0);
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Password').fill('anything at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${s.world.urls.login}/interaction/**`);
      expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
    } finally {
      await plain.close();
    }
  });

  it('signed in to the extension as ada, Segment’s login page offers "Continue as Ada", which the keyboard takes into Segment', async () => {
    stage = await startStage();
    const s = stage;
    const { context, extensionOrigin } = s.browser;
    const popup = await openPopup(context, extensionOrigin);
    await signInFromPopup(context, popup, 'ada@example.com');
    await popup.locator('.account-email').waitFor();

    const page = await context.newPage();
    await page.goto(`${s.world.urls.segment}/login`);
    const offer = page.locator('uls-continue-as').getByRole('group', { name: 'Signed in to the Login Switcher' });
    await offer.waitFor();
    expect(await offer.textContent()).toContain('ada@example.com');
    await expectAccessible(page, { include: ['uls-continue-as'] });
    const button = offer.getByRole('button', { name: 'Continue as Ada' });
    await button.focus();
    await page.keyboard.press('Enter');
    // Through the product's own /login/twilio route and the Twilio session: no form to fill on the way.
    await page.waitForURL(`${s.world.urls.segment}/workspaces/**`);
  });
});
