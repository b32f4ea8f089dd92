/**
 * The one error responder: every refusal of every site becomes its answer here, from the `WorldError` thrown —
 * JSON for API paths, the page of the refused form when the route declared one (`showRefusalsOn`), or the generic
 * error page. Anything unexpected is logged and answered with a generic 500 that exposes nothing.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { RequestError, WorldError } from './errors';
import { html, PAGE_HEADERS, page } from './html';

/** A route's own page for a refusal (its form again, the message in its section), or undefined for the generic one. */
export type RefusalPage = (error: WorldError) => { body: string; headers: Record<string, string> } | undefined;

declare module 'hono' {
  interface ContextVariableMap {
    refusalPage: RefusalPage;
  }
}

/** Declares where this request's refusals are shown: from here on, a refusal renders through `render`. */
export function showRefusalsOn(c: Context, render: RefusalPage): void {
  c.set('refusalPage', render);
}

/** Refuses with `error`, answered by the one responder with a page of its own (e.g. "not available yet"). */
export function refusedWith(
  c: Context,
  error: WorldError,
  own: { body: string; headers: Record<string, string> },
): never {
  showRefusalsOn(c, (refused) => (refused === error ? own : undefined));
  throw error;
}

export interface ErrorResponseOptions {
  json: boolean;
  /**
   * The site's home (e.g. a product's, which restarts its sign-in): the page links it as "Start again" when that
   * can succeed, else as "Go to the home page".
   */
  retryHref?: string;
  /** The page of the refused form, when the route has one. */
  refusalPage?: RefusalPage | undefined;
}

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A `WorldError` as-is; anything else a 500 whose cause is kept for the log. */
export function asWorldError(error: unknown): WorldError {
  return error instanceof WorldError ? error : new RequestError('server_error', 'Unexpected error', { cause: error });
}

/** The heading of the generic error page: what happened, in plain words (the code is only small print). */
function headingFor(known: WorldError): string {
  if (!known.expose) return 'Something went wrong on our side';
  switch (known.code) {
    case 'not_found':
      return 'Nothing here';
    case 'csrf_token_invalid':
    case 'interaction_expired':
      return 'This page has expired';
    case 'cross_site_request':
      return 'This form was sent from another site';
    case 'too_many_attempts':
      return 'Too many attempts';
    case 'payload_too_large':
      return 'That is too much to send';
    case 'method_not_allowed':
      return 'This address takes a form';
    default:
      return known.status === 403 ? 'Not allowed' : known.status === 409 ? 'Already done' : 'This request was refused';
  }
}

/**
 * Codes after which starting again can succeed (an expired form or sign-in, a wait, our own failure). Others —
 * not allowed, not found, limited release — would only fail again, so the page offers a way home instead.
 */
const RETRYABLE = new Set(['csrf_token_invalid', 'interaction_expired', 'too_many_attempts', 'invalid_request']);

function genericPage(known: WorldError, homeHref: string | undefined): string {
  const body = known.toApiError();
  const heading = headingFor(known);
  const retryable = !known.expose || RETRYABLE.has(known.code);
  const home = homeHref
    ? html`<p><a href="${homeHref}">${retryable ? 'Start again' : 'Go to the home page'}</a></p>`
    : '';
  return page({
    title: heading,
    body: html`<div class="card"><h1>${heading}</h1><p>${body.error_description ?? body.error}</p>
${home}
<p class="muted"><small>Error code: <code>${body.error}</code></small></p></div>`,
  });
}

/** Status, headers and body of the answer to `error`. */
export function answerTo(error: unknown, { json, retryHref, refusalPage }: ErrorResponseOptions): ErrorAnswer {
  const known = asWorldError(error);
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...known.headers };
  if (known.retryAfterSeconds !== undefined) headers['Retry-After'] = String(known.retryAfterSeconds);
  // The unread rest of an oversized body is not drained: the connection must not be reused.
  if (known.status === 413) headers.Connection = 'close';
  if (json) {
    return {
      status: known.status,
      headers: { ...headers, 'Content-Type': known.contentType },
      body: JSON.stringify(known.toJSON()),
    };
  }
  const own = known.expose ? refusalPage?.(known) : undefined;
  if (own) return { status: known.status, headers: { ...own.headers, ...headers }, body: own.body };
  return { status: known.status, headers: { ...PAGE_HEADERS, ...headers }, body: genericPage(known, retryHref) };
}

function logUnexpected(error: unknown, method: string | undefined, path: string): void {
  if (!asWorldError(error).expose) console.error('[mock-server]', method, path, error);
}

/** The answer to an error thrown in a Hono route; the route's refusal page, if it declared one, is used. */
export function errorResponse(error: unknown, c: Context, options: Omit<ErrorResponseOptions, 'refusalPage'>) {
  logUnexpected(error, c.req.method, c.req.path);
  const answer = answerTo(error, { ...options, refusalPage: c.get('refusalPage') });
  return c.body(answer.body, answer.status as 400, answer.headers);
}

/** The same answer, written to a plain node:http response (routes served before Hono). */
export function writeErrorResponse(
  res: ServerResponse,
  error: unknown,
  { method, path, headers = {} }: { method: string | undefined; path: string; headers?: OutgoingHttpHeaders },
): void {
  logUnexpected(error, method, path);
  const answer = answerTo(error, { json: true });
  res.writeHead(answer.status, {
    ...headers,
    ...answer.headers,
    'Content-Length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
