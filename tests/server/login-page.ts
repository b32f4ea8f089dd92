/** Opens the Twilio login for a fresh authorization request, as a browser would, for tests of the login pages. */
import type * as oidc from 'openid-client';
import { EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../../scripts/lib/oidc-clients';
import type { TestWorld } from './world';

export interface OpenLogin {
  browser: HeadlessBrowser;
  /** `http://login…/interaction/<uid>` */
  interactionUrl: URL;
  csrf: string;
  html: string;
  codeVerifier: string;
  config: oidc.Configuration;
}

/** `browser` keeps its cookies (a device cookie, an IdP session: pass `prompt: 'login'` to sign in again). */
export async function openLogin(
  world: TestWorld,
  params: Record<string, string> = {},
  browser = new HeadlessBrowser(),
): Promise<OpenLogin> {
  const config = await extensionClient(world);
  const { url: authorizationUrl, codeVerifier } = await extensionAuthorization(config, { state: 'state-1', ...params });
  const { url, response } = await browser.follow(authorizationUrl);
  if (response?.status !== 200) throw new Error(`login page answered ${response?.status}`);
  const html = await response.text();
  return { browser, interactionUrl: url, csrf: csrfTokenIn(html), html, codeVerifier, config };
}

/** POSTs the password step. */
export function submitPassword(
  login: OpenLogin,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return login.browser.request(`${login.interactionUrl.href}/login`, {
    form: { csrf: login.csrf, ...fields },
    headers,
  });
}

/** Follows the redirects after a successful final step and returns the code sent to the redirect URI, if any. */
export async function codeAfter(login: OpenLogin, response: Response): Promise<{ code: string | null; url: URL }> {
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect (${response.status})`);
  const { url } = await login.browser.follow(new URL(location, login.interactionUrl), {
    stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI),
  });
  return { code: url.href.startsWith(EXTENSION_REDIRECT_URI) ? url.searchParams.get('code') : null, url };
}
