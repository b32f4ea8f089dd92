/** Helpers for the Console's settings pages and the dev mailbox in a test world. */
import { expect } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { type Credentials, completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import type { TestWorld } from './world';

export const PASSWORD = 'demo-pass-2026';
let counter = 0;

/** A new Twilio user of its own (password `demo-pass-2026`), so tests that change accounts do not collide. */
export async function freshUser(world: TestWorld, prefix: string, { totpSecret }: { totpSecret?: string } = {}) {
  counter += 1;
  const email = `${prefix}-${counter}-${Date.now().toString(36)}@example.org`;
  const user = world.users.create({
    email,
    name: `${prefix} Tester`,
    passwordHash: await hashPassword(PASSWORD),
    ...(totpSecret ? { totpSecret } : {}),
  });
  return { user, credentials: { email, password: PASSWORD } as Credentials };
}

/** A browser signed in to the Console (and so to the Twilio IdP) as `credentials`. */
export async function consoleBrowser(world: TestWorld, credentials: Credentials, browser = new HeadlessBrowser()) {
  const callbackUrl = await completeLogin(
    browser,
    `${world.urls.console}/`,
    `${world.urls.console}/callback`,
    credentials,
  );
  const finished = await browser.request(callbackUrl);
  expect(finished.status).toBe(303);
  return browser;
}

/** GETs a settings page and returns its HTML and the session's CSRF token. */
export async function openPage(world: TestWorld, browser: HeadlessBrowser, path: string) {
  const response = await browser.request(`${world.urls.console}${path}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  return { html, csrf: csrfTokenIn(html) };
}

/** Submits a Console form with the session's CSRF token (read from `from`, default the same path). */
export async function submit(
  world: TestWorld,
  browser: HeadlessBrowser,
  path: string,
  fields: Record<string, string>,
  { from = '/settings', headers = {} }: { from?: string; headers?: Record<string, string> } = {},
): Promise<{ response: Response; html: string }> {
  const { csrf } = await openPage(world, browser, from);
  const response = await browser.request(`${world.urls.console}${path}`, { form: { csrf, ...fields }, headers });
  return { response, html: response.status === 303 ? '' : decodeEntities(await response.text()) };
}

/** The page's text as a reader sees it (`isn&#39;t` → `isn't`), for assertions on messages. */
export function decodeEntities(html: string): string {
  return html
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The dev mailbox page for one recipient, and the links in it (newest message first). */
export async function mailbox(world: TestWorld, to: string): Promise<{ html: string; links: string[] }> {
  const response = await new HeadlessBrowser().request(
    `${world.urls.login}/dev/mailbox?${new URLSearchParams({ to })}`,
  );
  expect(response.status).toBe(200);
  const html = await response.text();
  const links = [...html.matchAll(/<a href="([^"]+\/settings\/email\/verify\?token=[^"]+)"/g)].map((match) =>
    match[1]!.replaceAll('&amp;', '&'),
  );
  return { html, links };
}

/** True when a fresh browser can complete a Console login with these credentials. */
export async function canLogIn(world: TestWorld, credentials: Credentials): Promise<boolean> {
  try {
    await consoleBrowser(world, credentials);
    return true;
  } catch {
    return false;
  }
}
