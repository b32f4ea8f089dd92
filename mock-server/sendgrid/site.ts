/** SendGrid (app.sendgrid.localhost): an account dashboard with the user's role and plan, settings with timezone. */

import { html } from '../html';
import type { NodeHandler } from '../node-handler';
import { type ProductSiteDeps, productSite } from '../products/product-site';
import type { SendGridStore } from './store';

export function sendgridSite(sendgrid: SendGridStore, deps: ProductSiteDeps): NodeHandler {
  return productSite(
    {
      product: 'sendgrid',
      homeNoun: 'account',
      users: sendgrid.users,
      homesOf: (userId) => sendgrid.accountsOf(userId),
      markVisited: (userId, accountId) => sendgrid.markVisited(userId, accountId),
      renderHome: ({ home, homes }) => html`<h1 data-testid="account-name">${home.name}</h1>
<section class="card" aria-labelledby="dashboard-heading">
  <h2 id="dashboard-heading" style="margin-top:0;font-size:1.1rem">Dashboard</h2>
  <dl>
    <dt>Your role</dt><dd data-testid="account-role">${home.role}</dd>
    <dt>Plan</dt><dd data-testid="account-plan">${home.plan}</dd>
    <dt>Emails sent this month</dt><dd>0</dd>
  </dl>
</section>
${
  homes.length > 1
    ? html`<section class="card" aria-labelledby="other-heading" style="margin-top:1rem">
  <h2 id="other-heading" style="margin-top:0;font-size:1.1rem">Your accounts</h2>
  <ul>${homes.map((other) => html`<li><a href="/accounts/${other.id}">${other.name}</a> (${other.role})</li>`)}</ul>
</section>`
    : ''
}`,
    },
    deps,
  );
}
