/**
 * Request checks shared by every site's form POSTs (the body's size is capped at the server's edge: body-limit.ts):
 * a same-origin check from `Sec-Fetch-Site` / `Origin`, and a constant-time CSRF token comparison.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { RequestError } from './errors';

/**
 * Refuses requests a browser marks as cross-site (or from another origin). `Sec-Fetch-Site` decides when present
 * (browsers set it and pages cannot forge it); `Origin` is only consulted without it, because Chromium sends
 * `Origin: null` on same-origin form POSTs from pages whose referrer policy is `no-referrer`. Requests with
 * neither header come from non-browser clients, which cannot ride a user's cookies, and still need the CSRF token.
 */
export function assertSameOrigin(headers: Headers, expectedOrigin: string): void {
  const site = headers.get('sec-fetch-site');
  const origin = headers.get('origin');
  const crossSite = site !== null ? site !== 'same-origin' : origin !== null && origin !== expectedOrigin;
  if (crossSite) throw new RequestError('cross_site_request', 'This form can only be submitted from its own page.');
}

export const sameOriginOnly =
  (expectedOrigin: string): MiddlewareHandler =>
  async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      assertSameOrigin(c.req.raw.headers, expectedOrigin);
    }
    await next();
  };

export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses a form whose CSRF token is not `expected` (or when there is no token to expect). */
export function assertCsrfToken(expected: string | undefined, given: unknown): void {
  if (expected === undefined || !tokensMatch(expected, given)) {
    throw new RequestError('csrf_token_invalid', 'The form has expired. Reload the page and try again.');
  }
}

/** The form of a POST whose CSRF token must be `expectedToken` (the same-origin check runs as middleware). */
export async function checkedForm(request: Request, expectedToken: string): Promise<Record<string, string>> {
  const form = await readForm(request);
  assertCsrfToken(expectedToken, form.csrf);
  return form;
}

/** The fields of an `application/x-www-form-urlencoded` body, each sent once; any other body is a 400. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new RequestError('invalid_request', 'Send the form as application/x-www-form-urlencoded.');
  }
  let text: string;
  try {
    text = await request.text();
  } catch (cause) {
    if (cause instanceof RequestError) throw cause;
    throw new RequestError('invalid_request', 'The request body could not be read.', { cause });
  }
  // No prototype: a field named `toString` or `__proto__` is a field like any other, never an inherited name.
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in fields) throw new RequestError('invalid_request', `The field "${name}" was sent more than once.`);
    fields[name] = value;
  }
  return fields;
}

/**
 * The client's address, as every throttle and rate limit keys it. A socket that already closed has none: those
 * requests share the one 'unknown' bucket rather than escape throttling.
 */
export function clientAddress(incoming: IncomingMessage): string {
  return incoming.socket.remoteAddress ?? 'unknown';
}
