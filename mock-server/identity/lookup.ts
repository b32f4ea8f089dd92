/**
 * Redirect-on-detected-email (issue 4, docs/architecture.md, "A login redirect" and "Trust model"), the one decision behind it: for an email and a
 * product, is that product's user unified (linked to a Twilio user, or created from the Twilio Console)? The public
 * `POST LOOKUP_PATH` on the login host answers only `{unified}`; Segment's and SendGrid's login pages ask
 * `UnifiedLookup.isUnified` in-process, so both always agree.
 *
 * It must not become an oracle for who has an account: unknown, product-only and unified emails get the same status,
 * headers and body shape, and the same work (one indexed query, no hashing); callers are rate-limited per IP and
 * per email (429 + Retry-After); CORS only for Segment, SendGrid and the extension; never any account detail.
 */

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import * as v from 'valibot';
import { LOOKUP_PATH, LookupRequestSchema, type LookupResponse } from '../../contract/api';
import { EXTENSION_ID, type SetupProductId, siteOrigin } from '../../contract/catalogue';
import { normaliseEmail } from '../../contract/email';
import { type RateLimit, RateWindows } from '../accounts/rate-windows';
import { writeErrorResponse } from '../error-response';
import { RequestError, WorldError } from '../errors';
import { clientAddress } from '../security';
import type { Db } from '../storage/database';

/** A lookup body is `{"email":"…","product":"…"}`: 2 kB is ample; larger bodies get 413 before parsing. */
export const LOOKUP_MAX_BODY_BYTES = 2 * 1024;

/** Per client IP: enough for a person typing on a few login pages, not for enumerating a list of emails. */
export const LOOKUP_PER_IP: RateLimit = { limit: 60, windowMs: 60_000 };
/** Per normalised email (from any IP): one person's logins and retries, not a distributed probe of one address. */
export const LOOKUP_PER_EMAIL: RateLimit = { limit: 20, windowMs: 60_000 };

const TABLES: Record<SetupProductId, 'segment_users' | 'sendgrid_users'> = {
  segment: 'segment_users',
  sendgrid: 'sendgrid_users',
};

/** The single source of the "unified or not" decision, and its rate limits. */
export class UnifiedLookup {
  private readonly statements: Record<SetupProductId, Database.Statement<[string], unknown>>;
  private readonly perIp: RateWindows;
  private readonly perEmail: RateWindows;

  constructor(
    db: Db,
    clock: () => number,
    limits: { perIp: RateLimit; perEmail: RateLimit } = { perIp: LOOKUP_PER_IP, perEmail: LOOKUP_PER_EMAIL },
  ) {
    // One statement per product, each one indexed lookup (UNIQUE email), run for every email alike.
    this.statements = {
      segment: db.prepare(this.sql('segment')),
      sendgrid: db.prepare(this.sql('sendgrid')),
    };
    this.perIp = new RateWindows(limits.perIp, clock);
    this.perEmail = new RateWindows(limits.perEmail, clock);
  }

  private sql(product: SetupProductId): string {
    return `SELECT EXISTS (SELECT 1 FROM ${TABLES[product]} WHERE email = ?
      AND (twilio_sub IS NOT NULL OR created_via = 'twilio'))`;
  }

  /**
   * Whether the product user with this email signs in with the Twilio login: linked to a Twilio user (`twilio_sub`)
   * or created from the Twilio Console. Unknown emails and product-only users answer false, after the same query.
   */
  isUnified(product: SetupProductId, email: string): boolean {
    // Plucked at each use: the statement is shared with anyone preparing the same SQL (storage/database.ts).
    return this.statements[product].pluck().get(normaliseEmail(email)) === 1;
  }

  /** Counts one request from `ip`: 0 when allowed, else seconds to wait. */
  takeIp(ip: string): number {
    return this.perIp.take(ip);
  }

  /** Counts one request about `email` (normalised), from any IP: 0 when allowed, else seconds to wait. */
  takeEmail(email: string): number {
    return this.perEmail.take(normaliseEmail(email));
  }
}

/** Origins that may call the lookup from a browser: the products whose login pages use it, and the extension. */
export function lookupCorsOrigins(port: number): ReadonlySet<string> {
  return new Set([`chrome-extension://${EXTENSION_ID}`, siteOrigin('segment', port), siteOrigin('sendgrid', port)]);
}

export interface LookupRouteDeps {
  lookup: UnifiedLookup;
  port: number;
}

const UTF8 = new TextDecoder(); // as `Request.text()`: invalid bytes become U+FFFD, a leading BOM is dropped

/** The body as text, or undefined as soon as it passes `limit` bytes: reading stops there, the rest is never read. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(UTF8.decode(Buffer.concat(chunks, size))));
    req.once('error', reject);
  });
}

/**
 * `LOOKUP_PATH` on the login host, dispatched by the site before Hono: plain node:http, because building a WHATWG
 * Request for a POST body cost more than the lookup itself. Same answers as any API route: JSON, `no-store`,
 * CORS for `lookupCorsOrigins` (preflight included), 413 past `LOOKUP_MAX_BODY_BYTES`, 405 for other methods.
 */
export function lookupHandler({ lookup, port }: LookupRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const origins = lookupCorsOrigins(port);

  return (req, res) => {
    const origin = req.headers.origin;
    const cors: OutgoingHttpHeaders = {
      ...(origin !== undefined && origins.has(origin) ? { 'Access-Control-Allow-Origin': origin } : {}),
      'Access-Control-Expose-Headers': 'Retry-After',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin, Access-Control-Request-Headers',
      });
      res.end();
      return;
    }
    const answer = (body: LookupResponse) => {
      const text = JSON.stringify(body);
      res.writeHead(200, {
        ...cors,
        Vary: 'Origin',
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(text);
    };
    const invalid = (description: string) => new RequestError('invalid_request', description);
    const tooMany = (retryAfterSeconds: number) =>
      new RequestError('too_many_attempts', 'Too many lookups. Try again later.', { retryAfterSeconds });
    const tooLarge = () =>
      new RequestError('payload_too_large', `The request body is larger than ${LOOKUP_MAX_BODY_BYTES} bytes.`);

    const respond = async () => {
      if (req.method !== 'POST') {
        throw new RequestError('method_not_allowed', 'Use POST.', { headers: { Allow: 'POST, OPTIONS' } });
      }
      // A declared oversized body is refused before it counts against the IP; a chunked one while it is read.
      if (!req.headers['transfer-encoding'] && Number(req.headers['content-length'] ?? 0) > LOOKUP_MAX_BODY_BYTES) {
        throw tooLarge();
      }
      const ipWait = lookup.takeIp(clientAddress(req));
      if (ipWait > 0) throw tooMany(ipWait);
      // JSON only: a text/plain body would be a CORS "simple" request, sent cross-site without a preflight.
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        throw invalid('Send the lookup as application/json.');
      }
      const text = await readBody(req, LOOKUP_MAX_BODY_BYTES);
      if (text === undefined) throw tooLarge();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw invalid('The body is not valid JSON.');
      }
      const parsed = v.safeParse(LookupRequestSchema, json);
      if (!parsed.success) throw invalid(parsed.issues[0].message);
      const { email, product } = parsed.output;

      const emailWait = lookup.takeEmail(email);
      if (emailWait > 0) throw tooMany(emailWait);
      return answer({ unified: lookup.isUnified(product, email) });
    };

    respond().catch((error: unknown) => {
      // A client that went away mid-body needs no answer; refusals and our bugs are answered as every route's.
      if (!(error instanceof WorldError) && (req.destroyed || res.headersSent)) {
        res.destroy();
        return;
      }
      writeErrorResponse(res, error, { method: req.method, path: LOOKUP_PATH, headers: { ...cors, Vary: 'Origin' } });
    });
  };
}
