/**
 * Redirect-on-detected-email, the background half (issue 4, docs/architecture.md, "A login redirect"): a Segment or SendGrid login page asks
 * whether the typed email signs in with the Twilio login; the background asks the IdP's public lookup
 * (`POST LOOKUP_PATH`) and answers only "unified or not".
 *
 * Any page script can fake the typing, so this must not become an oracle for which emails have Twilio users:
 * answers are cached briefly, lookups are rate-limited per tab and overall, and every failure (rate limit, 429,
 * network, unexpected answer) fails closed as "not unified", which changes nothing on the page.
 */

import * as v from 'valibot';
import { LOOKUP_PATH, type LookupRequest, LookupResponseSchema } from '../../contract/api';
import { SETUP_PRODUCT_IDS } from '../../contract/catalogue';
import { isCompleteEmail } from '../../contract/email';
import { ExtensionError } from '../../contract/errors';
import type { LookupEmailRequest, LookupEmailResult } from '../../contract/messages';
import type { Fetch } from './oidc';
import type { From } from './router';

/** How long an answer is reused for the same product and email. */
export const LOOKUP_CACHE_MS = 60 * 1000;
/** Lookups that reach the network, per tab, per `LOOKUP_WINDOW_MS`. */
export const LOOKUPS_PER_TAB = 10;
/** Lookups that reach the network from all tabs together, per `LOOKUP_WINDOW_MS` (a page could open many tabs). */
export const LOOKUPS_OVERALL = 30;
export const LOOKUP_WINDOW_MS = 60 * 1000;
/** A lookup that takes longer than this is abandoned (and answers "not unified"). */
export const LOOKUP_TIMEOUT_MS = 5 * 1000;
/** Bounds on how long a 429's Retry-After keeps the background from asking again. */
const RETRY_AFTER_DEFAULT_MS = 60 * 1000;
const RETRY_AFTER_MAX_MS = 10 * 60 * 1000;
/** Bound on the answer cache, so a flood of distinct emails cannot grow memory. */
const CACHE_MAX_ENTRIES = 500;

type LookupProduct = LookupRequest['product'];

const NOT_UNIFIED: LookupEmailResult = { unified: false };

export interface LookupDeps {
  /** Origin of the IdP's JSON API (the login host). */
  apiOrigin: string;
  fetch: Fetch;
  now: () => number;
}

export interface LookupService {
  /** Answer a login page's `lookupEmail`; `from` is the authorised sender (product and tab from the router). */
  lookupEmail(request: LookupEmailRequest, from: From): Promise<LookupEmailResult>;
}

/** Milliseconds to wait from a Retry-After header (delay-seconds or an HTTP date), bounded. */
export function retryAfterMs(header: string | null, now: number): number {
  if (!header) return RETRY_AFTER_DEFAULT_MS;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return RETRY_AFTER_DEFAULT_MS;
  return Math.min(Math.max(ms, 1000), RETRY_AFTER_MAX_MS);
}

function isLookupProduct(value: unknown): value is LookupProduct {
  return (SETUP_PRODUCT_IDS as readonly unknown[]).includes(value);
}

export function createLookupService(deps: LookupDeps): LookupService {
  const cache = new Map<string, { unified: boolean; expires: number }>();
  const inflight = new Map<string, Promise<LookupEmailResult>>();
  /** Times of network lookups in the current window, per tab and overall. */
  const perTab = new Map<number, number[]>();
  let overall: number[] = [];
  /** No lookups before this time (set by a 429's Retry-After). */
  let pausedUntil = 0;

  function recent(times: number[], now: number): number[] {
    return times.filter((time) => now - time < LOOKUP_WINDOW_MS);
  }

  /** Take one lookup from the tab's and the overall budget; `false` when either is spent. */
  function takeBudget(tabId: number, now: number): boolean {
    for (const [id, times] of perTab) if (recent(times, now).length === 0) perTab.delete(id);
    overall = recent(overall, now);
    const tab = recent(perTab.get(tabId) ?? [], now);
    if (tab.length >= LOOKUPS_PER_TAB || overall.length >= LOOKUPS_OVERALL) return false;
    tab.push(now);
    overall.push(now);
    perTab.set(tabId, tab);
    return true;
  }

  function remember(key: string, unified: boolean, now: number): void {
    for (const [cached, entry] of cache) if (entry.expires <= now) cache.delete(cached);
    // Maps iterate in insertion order: drop the oldest entries first.
    while (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { unified, expires: now + LOOKUP_CACHE_MS });
  }

  async function ask(body: LookupRequest): Promise<LookupEmailResult> {
    let response: Response;
    try {
      response = await deps.fetch(`${deps.apiOrigin}${LOOKUP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        // A public endpoint: no cookies, nothing cached by the browser.
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
    } catch {
      return NOT_UNIFIED;
    }
    if (response.status === 429) {
      pausedUntil = deps.now() + retryAfterMs(response.headers.get('retry-after'), deps.now());
      return NOT_UNIFIED;
    }
    if (!response.ok) return NOT_UNIFIED;
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return NOT_UNIFIED;
    }
    const parsed = v.safeParse(LookupResponseSchema, json);
    if (!parsed.success) return NOT_UNIFIED;
    const answer = { unified: parsed.output.unified };
    remember(`${body.product}\n${body.email}`, answer.unified, deps.now());
    return answer;
  }

  return {
    async lookupEmail({ email }, from) {
      // The router has checked all of this; checked again so the service is safe on its own.
      if (from.kind !== 'content' || !isLookupProduct(from.product) || from.tabId === undefined) {
        throw new ExtensionError('untrusted_sender', 'lookupEmail is accepted only from Segment and SendGrid pages.');
      }
      if (typeof email !== 'string' || !isCompleteEmail(email)) {
        throw new ExtensionError('invalid_message', 'The email is not a complete email address.');
      }
      const product = from.product;
      const key = `${product}\n${email}`;
      const now = deps.now();

      const cached = cache.get(key);
      if (cached && cached.expires > now) return { unified: cached.unified };
      const pending = inflight.get(key);
      if (pending) return pending;

      if (now < pausedUntil || !takeBudget(from.tabId, now)) return NOT_UNIFIED;
      const lookup = ask({ email, product }).finally(() => inflight.delete(key));
      inflight.set(key, lookup);
      return lookup;
    },
  };
}
