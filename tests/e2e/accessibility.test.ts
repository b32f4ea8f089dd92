import { afterAll, beforeAll, describe, it } from 'vitest';
import { fillTwilioLogin, openPopup, openSwitcher, signInFromPopup } from '../../scripts/lib/journeys';
import { expectAccessible } from './axe';
import { type Stage, startStage } from './world';

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage?.close();
});

const SWITCHER = ['#product-switcher-slot'];

describe('axe-core finds nothing in the extension UI, light and dark', () => {
  it('the popup signed out and signed in', async () => {
    const { context, extensionOrigin } = stage.browser;
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    await expectAccessible(popup);
    await signInFromPopup(context, popup, 'ada@example.com');
    await popup.getByText('ada@example.com').waitFor();
    await expectAccessible(popup);
    await popup.close();
  });

  it('the switcher closed and open, signed in', async () => {
    const { context, extensionOrigin } = stage.browser;
    // Signed in by the test before; the popup opens signed in.
    const popup = await openPopup(context, extensionOrigin);
    await popup.getByText('ada@example.com').waitFor();
    const page = await context.newPage();
    await page.goto(`${stage.world.urls.console}/`);
    if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, 'ada@example.com');
    await page.waitForURL(`${stage.world.urls.console}/**`);
    await page
      .locator('#product-switcher-slot')
      .getByRole('button', { name: /Switch product/ })
      .waitFor();
    await expectAccessible(page, { include: SWITCHER });
    const { menu } = await openSwitcher(page);
    await menu
      .getByRole('menuitem', { name: /^Segment/ })
      .first()
      .waitFor();
    await expectAccessible(page, { include: SWITCHER });
    await page.close();
    await popup.close();
  });

  it('the login-redirect notice on Segment', async () => {
    const page = await stage.browser.context.newPage();
    await page.goto(`${stage.world.urls.segment}/login`);
    await page.getByLabel('Email').pressSequentially('ada@example.com');
    const notice = page.locator('uls-login-redirect').getByRole('group');
    await notice.waitFor();
    await page.keyboard.press('Escape'); // stop the countdown so the page stays while axe runs
    await expectAccessible(page, { include: ['uls-login-redirect'] });
    await page.close();
  });
});
