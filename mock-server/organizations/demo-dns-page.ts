/**
 * `/dev/dns` on the login host: the demo DNS's TXT records, and a form to publish one — where a tester does what
 * an organization would do at its DNS provider to verify a domain. A development tool, like the dev mailbox: no
 * sign-in, same-origin POSTs only, and it changes nothing but the demo DNS.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { RequestError } from '../errors';
import { html, PAGE_HEADERS, page } from '../html';
import { readForm, sameOriginOnly } from '../security';
import { type DemoDns, MAX_TXT_VALUE_LENGTH } from './demo-dns';

export const DEMO_DNS_PATH = '/dev/dns';

const RECORD_NAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i;

export function demoDnsRoutes(dns: DemoDns, loginOrigin: string): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(DEMO_DNS_PATH, sameOriginOnly(loginOrigin));

  app.get(DEMO_DNS_PATH, (c) => {
    const rows = dns
      .list()
      .map((record) => html`<tr><td><code>${record.name}</code></td><td><code>${record.value}</code></td></tr>`);
    return c.body(
      page({
        title: 'Demo DNS · Twilio',
        wide: true,
        body: html`<h1>Demo DNS (development only)</h1>
<p class="notice">This mock world cannot reach public DNS. Domain verification on the Console's organization page reads
TXT records from here instead: publish the record the organization page shows, then press Verify there.</p>
<form method="post" action="${DEMO_DNS_PATH}">
  <label for="dns-name">Record name</label>
  <input id="dns-name" name="name" required maxlength="253" autocomplete="off" placeholder="_twilio-verification.example.com">
  <label for="dns-value">TXT value</label>
  <input id="dns-value" name="value" required maxlength="${MAX_TXT_VALUE_LENGTH}" autocomplete="off">
  <button type="submit">Publish TXT record</button>
</form>
<h2 style="font-size:1.1rem">TXT records</h2>
${
  rows.length
    ? html`<div class="table-scroll"><table data-testid="dns-records"><thead><tr><th scope="col">Name</th>
<th scope="col">Value</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">None yet.</p>`
}`,
      }),
      200,
      PAGE_HEADERS,
    );
  });

  app.post(DEMO_DNS_PATH, async (c) => {
    const form = await readForm(c.req.raw);
    const name = (form.name ?? '').trim();
    const value = (form.value ?? '').trim();
    if (!RECORD_NAME.test(name))
      throw new RequestError('invalid_request', 'Enter a DNS name, such as _twilio-verification.example.com.');
    if (!value || value.length > MAX_TXT_VALUE_LENGTH) {
      throw new RequestError('invalid_request', `Enter a TXT value of 1 to ${MAX_TXT_VALUE_LENGTH} characters.`);
    }
    dns.publish(name, value);
    return c.body(null, 303, { Location: DEMO_DNS_PATH, 'Cache-Control': 'no-store' });
  });
  return app;
}
