/**
 * Segment and SendGrid sites until they become relying parties of their own (next issue): a plain page that
 * says what the site is, so the hosts answer and the extension has somewhere to go.
 */
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { PRODUCTS, type ProductId, siteOrigin } from '../src/shared/catalogue';
import { errorResponse } from './error-response';
import { WorldError } from './errors';
import { html, PRODUCT_PAGE_HEADERS, page } from './html';
import type { NodeHandler } from './identity/site';

export function productPlaceholderSite(productId: Exclude<ProductId, 'console'>, port: number): NodeHandler {
  const product = PRODUCTS[productId];
  const app = new Hono();
  app.get('/', (c) =>
    c.body(
      page({
        title: product.name,
        body: html`<div class="card"><h1>${product.name}</h1><p>${product.blurb}.</p>
<p class="muted">Signing in to ${product.name} with your Twilio login arrives in the next release.</p>
<p><a href="${siteOrigin('console', port)}/">Go to the Twilio Console</a></p></div>`,
      }),
      200,
      PRODUCT_PAGE_HEADERS,
    ),
  );
  app.notFound((c) => errorResponse(new WorldError('not_found', 'There is no page here.'), c, { json: false }));
  app.onError((error, c) => errorResponse(error, c, { json: false }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
