/**
 * `npm run screenshots`: rebuilds the e2e extension, starts the mock world in memory and writes the README's
 * pictures (the popup signed in as Ada, and the switcher open in the Console), light and dark, into
 * docs/screenshots/. Not part of `npm test`: the pictures are committed on purpose, when the UI changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWorld } from '../mock-server/app';
import { launchWithExtension } from './lib/extension-browser';
import { fillTwilioLogin, openPopup, openSwitcher, signInFromPopup } from './lib/journeys';

const OUT = 'docs/screenshots';
const SCHEMES = ['light', 'dark'] as const;
// The port the e2e build talks to; the same variable lets several checkouts run side by side.
const port = Number(process.env.VITE_WORLD_PORT || 18787);

execFileSync('npm', ['run', 'build:e2e', '--silent', '--', '--logLevel', 'warn'], { stdio: 'inherit' });
mkdirSync(OUT, { recursive: true });

const world = await createWorld({ port, db: ':memory:' });
await world.listen();
const browser = await launchWithExtension('dist-e2e');
try {
  const { context, extensionOrigin } = browser;
  const popup = await openPopup(context, extensionOrigin);
  await signInFromPopup(context, popup, 'ada@example.com');
  await popup.locator('.account-email').waitFor();

  const page = await context.newPage();
  await page.setViewportSize({ width: 900, height: 360 });
  await page.goto(`${world.urls.console}/`);
  if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, 'ada@example.com');
  await page.waitForURL(`${world.urls.console}/**`);
  const { menu } = await openSwitcher(page);
  await menu
    .getByRole('menuitem', { name: /^Segment/ })
    .first()
    .waitFor();

  for (const colorScheme of SCHEMES) {
    const suffix = colorScheme === 'light' ? '' : '-dark';
    await popup.emulateMedia({ colorScheme });
    await popup.screenshot({ path: join(OUT, `popup${suffix}.png`), animations: 'disabled' });
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(OUT, `switcher${suffix}.png`), animations: 'disabled', caret: 'hide' });
    console.log(`${OUT}/popup${suffix}.png, ${OUT}/switcher${suffix}.png`);
  }
} finally {
  await browser.close();
  await world.close();
}
