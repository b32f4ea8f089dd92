/**
 * Set-up pages on the login host, where the switcher sends a user the first time they choose Segment or SendGrid.
 * The next issue builds linking and creating product users here; for now the page says so.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { PRODUCTS, siteOrigin } from '../../src/shared/catalogue';
import { WorldError } from '../errors';
import { html, PAGE_HEADERS, page } from '../html';

export function setupRoutes(port: number): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/setup/:product', (c) => {
    const id = c.req.param('product');
    if (id !== 'segment' && id !== 'sendgrid') throw new WorldError('not_found', 'There is nothing to set up here.');
    const product = PRODUCTS[id];
    return c.body(
      page({
        title: `Set up ${product.name} · Twilio`,
        body: html`<div class="card"><div class="brand" aria-hidden="true">twilio</div>
<h1>Set up ${product.name}</h1>
<p>Linking your Twilio login to ${product.name} is coming soon.</p>
<p><a href="${siteOrigin('console', port)}/">Back to the Twilio Console</a></p></div>`,
      }),
      200,
      PAGE_HEADERS,
    );
  });
  return app;
}
