/**
 * The public "unified or not" lookup behind redirect-on-detected-email (issue 4, docs/architecture.md, "Trust model"): one answer shape for
 * every email, the decision table for both products, rate limits per IP and per email, CORS, and bad input.
 */
import { request as httpRequest } from 'node:http';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, LOOKUP_PATH, LookupResponseSchema } from '../../contract/api';
import { EXTENSION_ID } from '../../contract/catalogue';
import { hashPassword, verifyPassword } from '../../mock-server/accounts/passwords';
import { LOOKUP_PER_EMAIL, LOOKUP_PER_IP } from '../../mock-server/identity/lookup';
import { localhostFetch } from '../../mock-server/net';
import { type LookupBody, lookupFromOtherIp } from './lookups';
import { FRANK_SENDGRID } from './products';
import { worldForFile } from './world';

const world = await worldForFile();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function lookup(body: LookupBody, { headers = {} }: { headers?: Record<string, string> } = {}): Promise<Response> {
  return localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function unified(email: string, product: 'segment' | 'sendgrid'): Promise<boolean> {
  const response = await lookup({ email, product });
  expect(response.status).toBe(200);
  return v.parse(LookupResponseSchema, await response.json()).unified;
}

/** Every window passes: each test starts with fresh rate limits. */
beforeEach(() => world.advance(LOOKUP_PER_IP.windowMs + 1000));

describe('the unified-email lookup', () => {
  it('answers unknown, product-only and unified emails with the same status, headers and body shape', async () => {
    const responses = await Promise.all([
      lookup({ email: 'nobody@example.org', product: 'sendgrid' }),
      lookup({ email: FRANK_SENDGRID.email, product: 'sendgrid' }),
      lookup({ email: 'ada@example.com', product: 'segment' }),
    ]);
    const shapes = await Promise.all(
      responses.map(async (response) => ({
        status: response.status,
        headerNames: [...response.headers.keys()].filter((name) => name !== 'date').sort(),
        contentType: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        body: Object.keys((await response.json()) as object),
      })),
    );
    expect(shapes[0]).toEqual({
      status: 200,
      headerNames: [
        'access-control-expose-headers',
        'cache-control',
        'connection',
        'content-length',
        'content-type',
        'keep-alive',
        'vary',
      ],
      contentType: 'application/json',
      cacheControl: 'no-store',
      body: ['unified'],
    });
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });

  it.each([
    ['segment', 'nobody@example.org', false],
    ['segment', 'frank@example.net', false],
    ['segment', 'ada@example.com', true],
    ['segment', ' Ada@Example.COM ', true],
    ['segment', 'cleo@example.com', false],
    ['segment', 'ben@example.com', false],
    ['sendgrid', 'nobody@example.org', false],
    ['sendgrid', 'frank@example.net', false],
    ['sendgrid', 'ada@example.com', false],
    ['sendgrid', 'cleo@example.com', false],
    ['sendgrid', 'ben@example.com', false],
  ] as const)('on %s, %j is unified: %s', async (product, email, expected) => {
    expect(await unified(email, product)).toBe(expected);
  });

  it('counts a product user created from the Twilio Console as unified', async () => {
    const twilio = world.users.findByEmail('eve@example.com')!;
    world.products.sendgrid.users.create({ email: twilio.email, name: twilio.name, twilioSub: twilio.id });
    expect(await unified('eve@example.com', 'sendgrid')).toBe(true);
    expect(await unified('eve@example.com', 'segment')).toBe(false);
  });

  it('takes about as long for unknown, product-only and unified emails', async () => {
    const cases = [
      { email: 'nobody@example.org', product: 'sendgrid' },
      { email: FRANK_SENDGRID.email, product: 'sendgrid' },
      { email: 'ada@example.com', product: 'segment' },
    ] as const;
    const rounds = 200;
    const times: number[][] = cases.map(() => []);
    // Warm up connections and statements.
    for (const body of cases) await (await lookup(body)).arrayBuffer();
    for (let round = 0; round < rounds; round += 1) {
      // Stay under the per-email limit without sleeping: move the clock past the window now and then.
      if (round % (LOOKUP_PER_EMAIL.limit - 2) === 0) world.advance(LOOKUP_PER_IP.windowMs + 1000);
      for (const [index, body] of cases.entries()) {
        const started = performance.now();
        const response = await lookup(body);
        await response.arrayBuffer();
        times[index]!.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
    }
    const medians = times.map(median);
    // The yardstick, measured now on this machine: one argon2id verification, the cost a path that hashes adds.
    const hash = await hashPassword('yardstick-2026');
    const verifications: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const started = performance.now();
      await verifyPassword(hash, 'wrong-2026');
      verifications.push(performance.now() - started);
    }
    const argon2 = median(verifications);
    console.info(
      `[lookup timing] medians over ${rounds} calls: unknown ${medians[0]!.toFixed(3)} ms, product-only ${medians[1]!.toFixed(3)} ms, unified ${medians[2]!.toFixed(3)} ms; one argon2id verification ${argon2.toFixed(3)} ms`,
    );
    // Relative to the yardstick, so a slow or busy machine moves both sides: no path hashes or waits on its own.
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(argon2 / 2);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After after 60 lookups a minute from one IP, and again after the window', async () => {
    for (let i = 0; i < LOOKUP_PER_IP.limit; i += 1) {
      expect((await lookup({ email: `probe-${i}@example.org`, product: 'segment' })).status).toBe(200);
    }
    const refused = await lookup({ email: 'one-more@example.org', product: 'segment' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(v.parse(ApiErrorSchema, await refused.json()).error).toBe('too_many_attempts');
    // Another client address is not affected.
    expect((await lookupFromOtherIp(world, { email: 'one-more@example.org', product: 'segment' })).status).toBe(200);

    world.advance(30_000);
    const later = await lookup({ email: 'one-more@example.org', product: 'segment' });
    expect(later.status).toBe(429);
    expect(later.headers.get('retry-after')).toBe('30');
    world.advance(30_000);
    expect((await lookup({ email: 'one-more@example.org', product: 'segment' })).status).toBe(200);
  });

  it('answers 429 with Retry-After after 20 lookups a minute of one email, from any IP, and again after the window', async () => {
    for (let i = 0; i < LOOKUP_PER_EMAIL.limit; i += 1) {
      // Case and spacing do not make another email.
      const email = i % 2 ? 'ada@example.com' : ' ADA@example.com';
      expect((await lookup({ email, product: i % 3 ? 'segment' : 'sendgrid' })).status).toBe(200);
    }
    const refused = await lookupFromOtherIp(world, { email: 'ada@example.com', product: 'segment' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    // Other emails from the same IP still get answers.
    expect(await unified('ben@example.com', 'segment')).toBe(false);

    world.advance(LOOKUP_PER_EMAIL.windowMs);
    expect(await unified('ada@example.com', 'segment')).toBe(true);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it.each([
    ['Segment', () => world.urls.segment],
    ['SendGrid', () => world.urls.sendgrid],
    ['the extension', () => `chrome-extension://${EXTENSION_ID}`],
  ])('allows %s, preflight and POST', async (_name, originOf) => {
    const origin = originOf();
    const allowed = await preflight(origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    const response = await lookup({ email: 'ada@example.com', product: 'segment' }, { headers: { origin } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.each([
    ['http://evil.localhost'],
    [`http://evil.localhost:${world.port}`],
    ['null'],
    [`http://console.twilio.localhost:${world.port}`],
  ])('gives %s no Access-Control-Allow-Origin', async (origin) => {
    const denied = await preflight(origin);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const response = await lookup({ email: 'ada@example.com', product: 'segment' }, { headers: { origin } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a product page read Retry-After on a 429', async () => {
    for (let i = 0; i < LOOKUP_PER_EMAIL.limit; i += 1) await lookup({ email: 'ben@example.com', product: 'segment' });
    const refused = await lookup(
      { email: 'ben@example.com', product: 'segment' },
      { headers: { origin: world.urls.segment } },
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe(world.urls.segment);
    expect(refused.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });
});

describe('bad input', () => {
  async function expectInvalid(response: Response) {
    expect(response.status).toBe(400);
    const body = v.parse(ApiErrorSchema, await response.json());
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toBeTruthy();
  }

  it.each([
    ['malformed JSON', '{"email": "ada@example.com", '],
    ['a JSON string', '"ada@example.com"'],
    ['null', 'null'],
    ['an array', '[]'],
    ['an empty body', ''],
    ['a missing email', { product: 'segment' }],
    ['a missing product', { email: 'ada@example.com' }],
    ['an email of the wrong type', { email: ['ada@example.com'], product: 'segment' }],
    ['a number for an email', { email: 42, product: 'segment' }],
    ['an unknown product', { email: 'ada@example.com', product: 'console' }],
    ['an extra field', { email: 'ada@example.com', product: 'segment', password: 'x' }],
    ['a prototype-polluting field', '{"email":"ada@example.com","product":"segment","__proto__":{"x":1}}'],
    ['no @', { email: 'ada.example.com', product: 'segment' }],
    ['two @', { email: 'ada@ada@example.com', product: 'segment' }],
    ['an undotted domain', { email: 'ada@example', product: 'segment' }],
    ['a 255-character email', { email: `${'a'.repeat(243)}@example.com`, product: 'segment' }],
    ['SQL meta characters', { email: "ada@example.com' OR '1'='1", product: 'segment' }],
    ['SQL comment', { email: 'ada@example.com;--', product: 'segment' }],
    ['HTML', { email: '<script>alert(1)</script>@example.com', product: 'segment' }],
    ['a NUL character', { email: 'ada@example.com\u0000', product: 'segment' }],
  ] as [string, LookupBody][])('refuses %s with 400 invalid_request', async (_name, body) => {
    await expectInvalid(await lookup(body));
  });

  it('refuses a body that is not application/json (no CORS-simple requests)', async () => {
    await expectInvalid(
      await lookup(JSON.stringify({ email: 'ada@example.com', product: 'segment' }), {
        headers: { 'content-type': 'text/plain' },
      }),
    );
  });

  it('refuses a 10 kB email with 413 before parsing', async () => {
    const response = await lookup({ email: `${'a'.repeat(10_000)}@example.com`, product: 'segment' });
    expect(response.status).toBe(413);
    expect(v.parse(ApiErrorSchema, await response.json()).error).toBe('payload_too_large');
  });

  it('refuses a chunked body (no Content-Length) with 413 once it passes 2 kB, and closes the connection', async () => {
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port: world.port,
            method: 'POST',
            path: LOOKUP_PATH,
            headers: { host: new URL(world.urls.login).host, 'content-type': 'application/json' },
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              body += chunk;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }),
            );
          },
        );
        request.on('error', reject);
        request.write(`{"email":"${'a'.repeat(1500)}`);
        request.end(`${'a'.repeat(1500)}@example.com","product":"segment"}`);
      },
    );
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(v.parse(ApiErrorSchema, JSON.parse(answer.body)).error).toBe('payload_too_large');
  });

  it('refuses a unicode look-alike of a unified email (Cyrillic а, fullwidth e) with 400, never folding it onto Ada', async () => {
    for (const email of ['ada@ex\u0430mple.com', '\u0430da@example.com', 'ada@\uff45xample.com']) {
      const response = await lookup({ email, product: 'segment' });
      expect(response.status).toBe(400);
      expect(v.parse(ApiErrorSchema, await response.json()).error).toBe('invalid_request');
    }
  });

  it('answers 405 to other methods and never a 5xx', async () => {
    const get = await localhostFetch(`${world.urls.login}${LOOKUP_PATH}`);
    expect(get.status).toBe(405);
    expect(v.parse(ApiErrorSchema, await get.json()).error).toBe('method_not_allowed');
  });

  it('never returns account details', async () => {
    const response = await lookup({ email: 'ada@example.com', product: 'segment' });
    const text = await response.text();
    expect(text).toBe('{"unified":true}');
  });
});
