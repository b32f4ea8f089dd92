/** The answers every site's routes share. */
import type { Context, Hono } from 'hono';
import { RequestError } from './errors';

/** 303 See Other: where a form POST (or a page that moved on) sends the browser next; never cached. */
export function seeOther(c: Context, location: string): Response {
  return c.body(null, 303, { Location: location, 'Cache-Control': 'no-store' });
}

/**
 * A GET of an address that only takes a form POST (typed, bookmarked, or reached by going back): a 405 with
 * `Allow: POST` that says where the form is, instead of "nothing here".
 */
// biome-ignore lint/suspicious/noExplicitAny: any site's app (their bindings differ).
export function formOnly(app: Hono<any>, path: string, whereTheFormIs: string): void {
  app.get(path, () => {
    throw new RequestError('method_not_allowed', `This address only takes a form. ${whereTheFormIs}`, {
      headers: { Allow: 'POST' },
    });
  });
}
