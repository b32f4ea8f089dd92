/**
 * A minimal cookie-keeping HTTP client for driving the mock world's pages from Node (server tests, bench):
 * a per-host cookie jar, `redirect: 'manual'`, and helpers that walk the Twilio login like a browser would.
 * Not a browser: no script, no HTML parsing beyond finding a form's CSRF token.
 */
import { localhostFetch } from '../../mock-server/net';

interface StoredCookie {
  value: string;
  path: string;
  expiresAt: number | undefined;
}

/** Host-only cookies (the world's sites never set Domain), matched by path prefix. */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, StoredCookie>>();

  store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'path') path = val || '/';
        if (key.toLowerCase() === 'max-age') expiresAt = Date.now() + Number(val) * 1000;
        if (key.toLowerCase() === 'expires' && expiresAt === undefined) expiresAt = Date.parse(val);
      }
      const jar = this.hosts.get(url.hostname) ?? new Map<string, StoredCookie>();
      this.hosts.set(url.hostname, jar);
      const key = `${path}\u0000${name}`;
      if (!value || (expiresAt !== undefined && expiresAt <= Date.now())) jar.delete(key);
      else jar.set(key, { value, path, expiresAt });
    }
  }

  header(url: URL): string | undefined {
    const jar = this.hosts.get(url.hostname);
    if (!jar) return undefined;
    const pairs: string[] = [];
    for (const [key, cookie] of jar) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= Date.now()) continue;
      if (!url.pathname.startsWith(cookie.path)) continue;
      pairs.push(`${key.split('\u0000')[1]}=${cookie.value}`);
    }
    return pairs.length ? pairs.join('; ') : undefined;
  }

  /** The value of a cookie held for a host (any path). */
  value(hostname: string, name: string): string | undefined {
    for (const [key, cookie] of this.hosts.get(hostname) ?? []) if (key.endsWith(`\u0000${name}`)) return cookie.value;
    return undefined;
  }

  /** Names of the cookies held for a host. */
  names(hostname: string): string[] {
    return [...(this.hosts.get(hostname)?.keys() ?? [])].map((key) => key.split('\u0000')[1] ?? '');
  }
}

export interface RequestOptions {
  method?: string;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
}

export class HeadlessBrowser {
  readonly jar = new CookieJar();

  constructor(private readonly fetchImpl: typeof fetch = localhostFetch) {}

  /** One request, one hop: cookies sent and stored, redirects not followed. */
  async request(target: string | URL, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(target);
    const headers = new Headers(options.headers);
    const cookie = this.jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    let body: string | undefined = options.body;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers.set('content-type', 'application/x-www-form-urlencoded');
      // A browser submitting a form on the page's own origin says so.
      if (!headers.has('origin')) headers.set('origin', url.origin);
    }
    const response = await this.fetchImpl(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    this.jar.store(url, response);
    return response;
  }

  /**
   * GETs `target` and follows redirects until a response that is not a redirect, or a redirect to a URL for which
   * `stopAt` is true (e.g. the client's redirect URI, which is not served by the world). Returns the last URL.
   */
  async follow(
    target: string | URL,
    { stopAt, maxHops = 10 }: { stopAt?: (url: URL) => boolean; maxHops?: number } = {},
  ): Promise<{ url: URL; response: Response | undefined }> {
    let url = new URL(target);
    for (let hop = 0; hop <= maxHops; hop += 1) {
      if (stopAt?.(url)) return { url, response: undefined };
      const response = await this.request(url);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url, response };
      await response.body?.cancel();
      url = new URL(location, url);
    }
    throw new Error(`too many redirects from ${String(target)}`);
  }
}

/** The CSRF token of the first form on a page. */
export function csrfTokenIn(pageHtml: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(pageHtml);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

export interface Credentials {
  email: string;
  password: string;
  /** Returns a current TOTP code, for users with 2FA. */
  totp?: () => string;
}

/**
 * Completes an authorization request on the Twilio login with email, password (and TOTP when asked), the way a
 * user would, and returns the URL the IdP finally redirects to (the client's redirect URI with `code`, or an
 * error). Throws if a page does not come out as expected.
 */
export async function completeLogin(
  browser: HeadlessBrowser,
  authorizationUrl: string | URL,
  redirectUri: string,
  credentials: Credentials,
): Promise<URL> {
  const atRedirectUri = (url: URL) => url.href.startsWith(redirectUri);
  let shown = await browser.follow(authorizationUrl, { stopAt: atRedirectUri });
  if (!shown.response) return shown.url; // already signed in
  let loginPage = await shown.response.text();
  // Identifier first: the email, then (for a password user) the password step.
  if (loginPage.includes('/identify"')) {
    const identified = await submitEmail(browser, shown.url, csrfTokenIn(loginPage), credentials.email);
    if (identified.status === 200) {
      loginPage = await identified.text();
    } else {
      shown = await browser.follow(new URL(identified.headers.get('location') ?? '', shown.url), {
        stopAt: atRedirectUri,
      });
      if (!shown.response) return shown.url;
      loginPage = await shown.response.text();
    }
  }
  if (shown.url.origin !== new URL(authorizationUrl).origin && !shown.url.pathname.startsWith('/interaction/')) {
    throw new Error(
      `${credentials.email} signs in at its organization's IdP (${shown.url.origin}), not with a password`,
    );
  }
  if (!loginPage.includes('name="password"')) throw new Error(`no password step for ${credentials.email}`);
  const loginUrl = new URL(`${shown.url.pathname}/login`, shown.url);
  const afterPassword = await browser.request(loginUrl, {
    form: { csrf: csrfTokenIn(loginPage), email: credentials.email, password: credentials.password },
  });
  let next = new URL(afterPassword.headers.get('location') ?? '', loginUrl);
  if (afterPassword.status !== 303) throw new Error(`login answered ${afterPassword.status}`);
  if (next.pathname.endsWith('/totp')) {
    if (!credentials.totp) throw new Error('this user needs a TOTP code');
    const totpPage = await browser.request(next);
    const afterTotp = await browser.request(next, {
      form: { csrf: csrfTokenIn(await totpPage.text()), code: credentials.totp() },
    });
    next = new URL(afterTotp.headers.get('location') ?? '', next);
  }
  if (next.pathname.startsWith('/interaction/')) throw new Error('the login was refused');
  const end = await browser.follow(next, { stopAt: atRedirectUri });
  return end.url;
}

/**
 * The identifier-first step: POSTs the email on the sign-in page at `interactionUrl`. It answers the password page
 * itself (200) or, for an email that signs in at its organization's IdP, redirects there (303).
 */
export async function submitEmail(
  browser: HeadlessBrowser,
  interactionUrl: URL,
  csrf: string,
  email: string,
): Promise<Response> {
  const response = await browser.request(new URL(`${interactionUrl.pathname}/identify`, interactionUrl), {
    form: { csrf, email },
  });
  if (response.status !== 200 && response.status !== 303) throw new Error(`the email step answered ${response.status}`);
  return response;
}

/**
 * The identifier-first step for an email whose organization enforces SSO: POSTs it, takes the redirect to the SSO
 * start, and returns the URL of the organization's IdP that the start redirects to (the SAML request in its query).
 * Throws unless both answer with a redirect.
 */
export async function idpUrlForEmail(
  browser: HeadlessBrowser,
  interactionUrl: URL,
  csrf: string,
  email: string,
): Promise<URL> {
  const identified = await submitEmail(browser, interactionUrl, csrf, email);
  if (identified.status !== 303) throw new Error(`the email step answered ${identified.status}, not the way to SSO`);
  const ssoStart = await browser.request(new URL(identified.headers.get('location') ?? '', interactionUrl));
  if (ssoStart.status !== 303) throw new Error(`the SSO start answered ${ssoStart.status}`);
  return new URL(ssoStart.headers.get('location') ?? '');
}
