/**
 * `/favicon.ico` and `/favicon.svg` on every site of the world: the product's own glyph (the Twilio login and the
 * Console share the Console's). Served before the sites' routes, as browsers ask for it on every host.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HOSTS, type ProductId } from '../contract/catalogue';
import { productIconSvg } from '../contract/product-icons';
import { requestPath } from './node-handler';

const ICON_OF_HOST = new Map<string, ProductId>([
  [HOSTS.login, 'console'],
  [HOSTS.console, 'console'],
  [HOSTS.segment, 'segment'],
  [HOSTS.sendgrid, 'sendgrid'],
]);

/** The link every page puts in its head. */
export const FAVICON_PATH = '/favicon.svg';
const FAVICON_PATHS = new Set([FAVICON_PATH, '/favicon.ico']);

/** Answers a favicon request for `host`; false when the request is not one (the site handles it). */
export function serveFavicon(host: string, req: IncomingMessage, res: ServerResponse): boolean {
  // Every request of every site passes here: the cheapest test first.
  if (!req.url?.startsWith('/favicon.')) return false;
  const path = requestPath(req);
  const product = ICON_OF_HOST.get(host);
  if (!product || !FAVICON_PATHS.has(path) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  // A standalone SVG document needs its namespace (the inline markup of pages does not).
  const body = productIconSvg(product, 32).replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ');
  res.writeHead(200, {
    // Chromium and Firefox both take an SVG at /favicon.ico by its type.
    'Content-Type': 'image/svg+xml',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
