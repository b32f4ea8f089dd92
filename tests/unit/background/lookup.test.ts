// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../../contract/api';
import { EXTENSION_ID } from '../../../contract/catalogue';
import type { Auth } from '../../../src/background/auth';
import { createHandlers } from '../../../src/background/handlers';
import {
  createLookupService,
  LOOKUP_CACHE_MS,
  LOOKUP_WINDOW_MS,
  LOOKUPS_OVERALL,
  LOOKUPS_PER_TAB,
  retryAfterMs,
} from '../../../src/background/lookup';
import type { ProductsService } from '../../../src/background/products';
import { createRouter, type From, type Sender } from '../../../src/background/router';
import { LOGIN_ORIGIN, PRODUCT_ORIGINS } from '../../../src/shared/config';
import { createFakeFetch, json } from '../support/fakes';

const LOOKUP_URL = `${LOGIN_ORIGIN}${LOOKUP_PATH}`;
const UNIFIED = new Set(['segment ada@example.com', 'sendgrid ada@example.com']);

function world(route?: (body: { email: string; product: string }) => Response | Promise<Response>) {
  const now = { value: Date.UTC(2026, 0, 1) };
  const fake = createFakeFetch({
    [`POST ${LOOKUP_URL}`]: (request) => {
      const body = JSON.parse(request.body) as { email: string; product: string };
      return route ? route(body) : json({ unified: UNIFIED.has(`${body.product} ${body.email}`) });
    },
  });
  const lookup = createLookupService({ apiOrigin: LOGIN_ORIGIN, fetch: fake.fetch, now: () => now.value });
  return { now, requests: fake.requests, lookup };
}

const fromSegment = (tabId = 1): From => ({ kind: 'content', product: 'segment', tabId });
const fromSendGrid = (tabId = 1): From => ({ kind: 'content', product: 'sendgrid', tabId });

describe('lookupEmail in the background', () => {
  it('asks the IdP with the email and the product of the sending page', async () => {
    const { lookup, requests } = world();
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: true });
    expect(await lookup.lookupEmail({ email: 'frank@example.net' }, fromSendGrid())).toEqual({ unified: false });
    expect(requests.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([
      ['POST', LOOKUP_URL, { email: 'ada@example.com', product: 'segment' }],
      ['POST', LOOKUP_URL, { email: 'frank@example.net', product: 'sendgrid' }],
    ]);
    expect(requests[0]!.headers.get('content-type')).toBe('application/json');
  });

  it('reuses an answer for a minute, per product and email', async () => {
    const { lookup, requests, now } = world();
    await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment());
    await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment(2));
    expect(requests).toHaveLength(1);
    await lookup.lookupEmail({ email: 'ada@example.com' }, fromSendGrid());
    expect(requests).toHaveLength(2);
    now.value += LOOKUP_CACHE_MS;
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: true });
    expect(requests).toHaveLength(3);
  });

  it('shares one request between identical lookups in flight', async () => {
    const { lookup, requests } = world();
    const answers = await Promise.all([
      lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment()),
      lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment()),
    ]);
    expect(answers).toEqual([{ unified: true }, { unified: true }]);
    expect(requests).toHaveLength(1);
  });

  it(`answers "not unified" without asking after ${LOOKUPS_PER_TAB} lookups a minute from one tab`, async () => {
    const { lookup, requests, now } = world(() => json({ unified: true }));
    for (let i = 0; i < LOOKUPS_PER_TAB; i += 1) {
      expect(await lookup.lookupEmail({ email: `user${i}@example.com` }, fromSegment(1))).toEqual({ unified: true });
    }
    expect(await lookup.lookupEmail({ email: 'one-more@example.com' }, fromSegment(1))).toEqual({ unified: false });
    expect(requests).toHaveLength(LOOKUPS_PER_TAB);
    // Cached answers are still given; another tab has its own budget; the budget comes back after the window.
    expect(await lookup.lookupEmail({ email: 'user0@example.com' }, fromSegment(1))).toEqual({ unified: true });
    expect(await lookup.lookupEmail({ email: 'one-more@example.com' }, fromSegment(2))).toEqual({ unified: true });
    now.value += LOOKUP_WINDOW_MS;
    expect(await lookup.lookupEmail({ email: 'another@example.com' }, fromSegment(1))).toEqual({ unified: true });
    expect(requests).toHaveLength(LOOKUPS_PER_TAB + 2);
  });

  it(`stops at ${LOOKUPS_OVERALL} lookups a minute across all tabs`, async () => {
    const { lookup, requests } = world(() => json({ unified: true }));
    for (let i = 0; i < LOOKUPS_OVERALL; i += 1) {
      await lookup.lookupEmail({ email: `user${i}@example.com` }, fromSegment(100 + i));
    }
    expect(await lookup.lookupEmail({ email: 'one-more@example.com' }, fromSegment(999))).toEqual({ unified: false });
    expect(requests).toHaveLength(LOOKUPS_OVERALL);
  });

  it('fails closed on 429 and waits for Retry-After before asking again', async () => {
    let limited = true;
    const { lookup, requests, now } = world(() =>
      limited
        ? new Response('{"error":"rate_limited"}', { status: 429, headers: { 'retry-after': '30' } })
        : json({ unified: true }),
    );
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: false });
    limited = false;
    now.value += 29_000;
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: false });
    expect(requests).toHaveLength(1);
    now.value += 1_000;
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: true });
    expect(requests).toHaveLength(2);
  });

  it.each([
    ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['a 500', () => new Response('oops', { status: 500 })],
    ['a 400', () => json({ error: 'invalid_request' }, 400)],
    ['an answer of the wrong shape', () => json({ unified: 'yes' })],
    ['an answer that is not JSON', () => new Response('<html>', { status: 200 })],
  ])('fails closed on %s, and does not cache it', async (_, route) => {
    const { lookup, requests } = world(route);
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: false });
    expect(await lookup.lookupEmail({ email: 'ada@example.com' }, fromSegment())).toEqual({ unified: false });
    expect(requests).toHaveLength(2);
  });

  it('refuses, on its own too, anything but a Segment or SendGrid page, and malformed emails', async () => {
    const { lookup, requests } = world();
    const refusals = [
      [{ email: 'ada@example.com' }, { kind: 'content', product: 'console', tabId: 1 }],
      [{ email: 'ada@example.com' }, { kind: 'content', tabId: 1 }],
      [{ email: 'ada@example.com' }, { kind: 'extension' }],
      [{ email: 'ada@example.com' }, { kind: 'content', product: 'segment' }],
      [{ email: 'not-an-email' }, fromSegment()],
      [{ email: `${'a'.repeat(10_000)}@example.com` }, fromSegment()],
    ] as const;
    const codes = [];
    for (const [request, from] of refusals) {
      codes.push(await lookup.lookupEmail(request, from as From).catch((error: { code: string }) => error.code));
    }
    expect(codes).toEqual([
      'untrusted_sender',
      'untrusted_sender',
      'untrusted_sender',
      'untrusted_sender',
      'invalid_message',
      'invalid_message',
    ]);
    expect(requests).toHaveLength(0);
  });
});

describe('lookupEmail through the router', () => {
  const page = (origin: string, tabId = 5): Sender => ({
    id: EXTENSION_ID,
    origin,
    url: `${origin}/login`,
    tab: { id: tabId },
  });

  function routed() {
    const w = world();
    const handlers = createHandlers({ auth: {} as Auth, products: {} as ProductsService, lookup: w.lookup });
    const router = createRouter(handlers, {
      extensionId: EXTENSION_ID,
      extensionOrigin: `chrome-extension://${EXTENSION_ID}`,
      productOrigins: Object.values(PRODUCT_ORIGINS),
    });
    return { ...w, router };
  }

  it("answers a Segment or SendGrid login page, taking the product from the sender's origin", async () => {
    const { router, requests } = routed();
    expect(
      await router.handle({ type: 'lookupEmail', data: { email: 'ada@example.com' } }, page(PRODUCT_ORIGINS.segment)),
    ).toEqual({ ok: true, data: { unified: true } });
    expect(
      await router.handle({ type: 'lookupEmail', data: { email: 'ada@example.com' } }, page(PRODUCT_ORIGINS.sendgrid)),
    ).toEqual({ ok: true, data: { unified: true } });
    expect(requests.map((r) => JSON.parse(r.body).product)).toEqual(['segment', 'sendgrid']);
  });

  it('refuses the Console, other origins, the popup, a product in the payload and malformed or 10 kB emails', async () => {
    const { router, requests } = routed();
    const ada = { type: 'lookupEmail', data: { email: 'ada@example.com' } };
    const cases: [unknown, Sender][] = [
      [ada, page(PRODUCT_ORIGINS.console)],
      [ada, page('http://evil.localhost:8787')],
      [ada, page('http://app.segment.localhost:9999')],
      [ada, { id: EXTENSION_ID, origin: `chrome-extension://${EXTENSION_ID}` }],
      [ada, { ...page(PRODUCT_ORIGINS.segment), id: 'abcdefghijklmnopabcdefghijklmnop' }],
      [{ type: 'lookupEmail', data: { email: 'ada@example.com', product: 'segment' } }, page(PRODUCT_ORIGINS.segment)],
      [{ type: 'lookupEmail', data: { email: 'ada@' } }, page(PRODUCT_ORIGINS.segment)],
      [{ type: 'lookupEmail', data: { email: 42 } }, page(PRODUCT_ORIGINS.segment)],
      [{ type: 'lookupEmail', data: { email: `${'a'.repeat(10_000)}@example.com` } }, page(PRODUCT_ORIGINS.segment)],
    ];
    const codes = [];
    for (const [message, sender] of cases) {
      const reply = await router.handle(message, sender);
      codes.push(reply.ok ? 'ok' : reply.error.code);
    }
    expect(codes).toEqual([
      'untrusted_sender',
      'untrusted_sender',
      'untrusted_sender',
      'untrusted_sender',
      'untrusted_sender',
      'invalid_message',
      'invalid_message',
      'invalid_message',
      'invalid_message',
    ]);
    expect(requests).toHaveLength(0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    [null, 60_000],
    ['30', 30_000],
    ['0', 1_000],
    ['86400', 600_000],
    [new Date(now + 45_000).toUTCString(), 45_000],
    ['soon', 60_000],
  ])('%j → %d ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
