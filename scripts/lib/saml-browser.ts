/**
 * Walks an SSO sign-in from Node like a browser: the Twilio email step, the IdP's login page, the IdP's
 * auto-POST of the SAMLResponse to the ACS (cross-site), and the redirects back to the client.
 */
import { csrfTokenIn, type HeadlessBrowser, submitEmail } from './headless-browser';

/** The action and hidden fields of the form with this id (or the first form) on a page. */
export function formOn(pageHtml: string, id?: string): { action: string; fields: Record<string, string> } {
  const forms = [...pageHtml.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = id ? forms.find((match) => match[1]?.includes(`id="${id}"`)) : forms[0];
  if (!form) throw new Error(`no form${id ? ` #${id}` : ''} on the page`);
  const action = /action="([^"]*)"/.exec(form[1] ?? '')?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name && value !== undefined) fields[name] = value.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return { action, fields };
}

export interface IdpResponse {
  acsUrl: URL;
  samlResponse: string;
  relayState: string | undefined;
}

/** Signs in on the Acme IdP's login page (at `loginUrl`, its HTML `loginHtml`) and returns what it POSTs. */
export async function signInAtAcme(
  browser: HeadlessBrowser,
  loginUrl: URL,
  loginHtml: string,
  credentials: { email: string; password: string },
): Promise<IdpResponse> {
  const { fields } = formOn(loginHtml);
  const response = await browser.request(new URL('/login', loginUrl), {
    form: { pending: fields.pending ?? '', csrf: fields.csrf ?? '', ...credentials },
  });
  if (response.status !== 200) throw new Error(`the Acme IdP answered ${response.status}`);
  return responseOnPage(await response.text());
}

/** The SAMLResponse an IdP's auto-POST page carries. */
export function responseOnPage(pageHtml: string): IdpResponse {
  const { action, fields } = formOn(pageHtml, 'saml-post');
  if (!fields.SAMLResponse) throw new Error('no SAMLResponse on the page');
  return { acsUrl: new URL(action), samlResponse: fields.SAMLResponse, relayState: fields.RelayState };
}

/** POSTs a SAMLResponse to the ACS as the IdP's page does: a cross-site form POST. */
export function postToAcs(
  browser: HeadlessBrowser,
  acsUrl: URL | string,
  samlResponse: string,
  fromOrigin: string,
): Promise<Response> {
  return browser.request(acsUrl, {
    form: { SAMLResponse: samlResponse },
    headers: { origin: fromOrigin, 'sec-fetch-site': 'cross-site' },
  });
}

/**
 * From the Twilio sign-in page at `interactionUrl` (the email step), gives `email` and returns the page it leads to:
 * for an organization that enforces SSO, its IdP's page (its login page, or its auto-POST page when already signed
 * in there); otherwise the password step the email step answers with, which offers the organization's SSO.
 */
export async function continueToIdp(
  browser: HeadlessBrowser,
  interactionUrl: URL,
  emailPageHtml: string,
  email: string,
): Promise<{ url: URL; html: string }> {
  const identified = await submitEmail(browser, interactionUrl, csrfTokenIn(emailPageHtml), email);
  if (identified.status === 200) return { url: interactionUrl, html: await identified.text() };
  const { url, response } = await browser.follow(new URL(identified.headers.get('location') ?? '', interactionUrl));
  if (response?.status !== 200) throw new Error(`the IdP answered ${response?.status}`);
  return { url, html: await response.text() };
}

export interface SsoCredentials {
  email: string;
  /** The password at the organization's IdP. */
  idpPassword: string;
}

/**
 * Completes an authorization request by SSO through the Acme IdP and returns the URL the Twilio IdP finally
 * redirects to (the client's redirect URI with `code`).
 */
export async function completeSsoLogin(
  browser: HeadlessBrowser,
  authorizationUrl: string | URL,
  redirectUri: string,
  credentials: SsoCredentials,
): Promise<URL> {
  const atRedirectUri = (url: URL) => url.href.startsWith(redirectUri);
  const first = await browser.follow(authorizationUrl, { stopAt: atRedirectUri });
  if (!first.response) return first.url;
  let idpUrl = first.url;
  let idpHtml = await first.response.text();
  if (idpHtml.includes('/identify"')) {
    ({ url: idpUrl, html: idpHtml } = await continueToIdp(browser, first.url, idpHtml, credentials.email));
  }
  // SSO not enforced: the password step offers the organization's single sign-on instead.
  const ssoLink = /href="(\/interaction\/[^"]+\/sso)"/.exec(idpHtml)?.[1];
  if (idpUrl.pathname.startsWith('/interaction/') && ssoLink) {
    const atIdp = await browser.follow(new URL(ssoLink, idpUrl));
    if (!atIdp.response) throw new Error('the single sign-on link led nowhere');
    idpUrl = atIdp.url;
    idpHtml = await atIdp.response.text();
  }
  const posted = idpHtml.includes('id="saml-post"')
    ? responseOnPage(idpHtml)
    : await signInAtAcme(browser, idpUrl, idpHtml, { email: credentials.email, password: credentials.idpPassword });
  const atAcs = await postToAcs(browser, posted.acsUrl, posted.samlResponse, idpUrl.origin);
  if (atAcs.status !== 303) throw new Error(`the ACS answered ${atAcs.status}: ${await atAcs.text()}`);
  const end = await browser.follow(new URL(atAcs.headers.get('location') ?? '', posted.acsUrl), {
    stopAt: atRedirectUri,
  });
  return end.url;
}
