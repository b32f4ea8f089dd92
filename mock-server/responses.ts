/** The answers every site's routes share. */
import type { Context } from 'hono';

/** 303 See Other: where a form POST (or a page that moved on) sends the browser next; never cached. */
export function seeOther(c: Context, location: string): Response {
  return c.body(null, 303, { Location: location, 'Cache-Control': 'no-store' });
}
