/**
 * Turns any error thrown in a site's routes into a clear response: `WorldError`s become their 4xx (JSON for API
 * paths, a readable page otherwise); anything unexpected is logged and answered with a generic 500.
 */
import type { Context } from 'hono';
import { WorldError } from './errors';
import { html, PAGE_HEADERS, page } from './html';

export interface ErrorResponseOptions {
  json: boolean;
  /** A page offers this link to start again (e.g. a product's home, which restarts its sign-in). */
  retryHref?: string;
}

export function errorResponse(error: unknown, c: Context, { json, retryHref }: ErrorResponseOptions): Response {
  const known =
    error instanceof WorldError ? error : new WorldError('server_error', 'Unexpected error', { cause: error });
  if (known.status >= 500) console.error('[mock-server]', c.req.method, c.req.path, error);
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (known.retryAfterSeconds !== undefined) headers['Retry-After'] = String(known.retryAfterSeconds);
  // The unread rest of an oversized body is not drained: the connection must not be reused.
  if (known.code === 'payload_too_large') headers.Connection = 'close';
  if (json) {
    return new Response(JSON.stringify(known.toJSON()), {
      status: known.status,
      headers: { ...headers, 'Content-Type': 'application/json' },
    });
  }
  const body = known.toJSON();
  const title = known.status >= 500 ? 'Something went wrong' : 'That did not work';
  return new Response(
    page({
      title,
      body: html`<div class="card"><h1>${title}</h1><p>${body.error_description ?? body.error}</p>
${retryHref ? html`<p><a href="${retryHref}">Try again</a></p>` : ''}
<p class="muted">Error code: <code>${body.error}</code></p></div>`,
    }),
    { status: known.status, headers: { ...PAGE_HEADERS, ...headers } },
  );
}
