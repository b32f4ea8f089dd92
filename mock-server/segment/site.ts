/**
 * Segment (app.segment.localhost): workspace homes with members' roles and pending invitations, settings with the
 * user's timezone and session history (one row per login, password or Twilio).
 */

import { html } from '../html';
import type { NodeHandler } from '../node-handler';
import { describeDevice } from '../products/device';
import { type ProductSiteDeps, productSite } from '../products/product-site';
import { timeElement } from '../time-format';
import type { SegmentStore } from './store';

export function segmentSite(segment: SegmentStore, deps: ProductSiteDeps): NodeHandler {
  return productSite(
    {
      product: 'segment',
      homeNoun: 'workspace',
      users: segment.users,
      homesOf: (userId) => segment.workspacesOf(userId),
      markVisited: (userId, workspaceId) => segment.markVisited(userId, workspaceId),
      recordLogin: (userId, method, userAgent, device) => segment.recordLogin(userId, method, userAgent, device),
      renderHome: ({ user, home, homes }) => {
        const invitations = segment.invitationsFor(home.id);
        return html`<h1 data-testid="workspace-name">${home.name}</h1>
<section class="card" aria-labelledby="workspace-heading">
  <h2 id="workspace-heading" style="margin-top:0;font-size:1.1rem">Workspace</h2>
  <dl>
    <dt>Your role</dt><dd data-testid="workspace-role">${home.role}</dd>
    <dt>Plan</dt><dd data-testid="workspace-plan">${home.plan}</dd>
  </dl>
</section>
${
  home.role === 'Read-only'
    ? ''
    : html`<section class="card" aria-labelledby="invitations-heading" style="margin-top:1rem">
  <h2 id="invitations-heading" style="margin-top:0;font-size:1.1rem">Invitations</h2>
  ${
    invitations.length
      ? html`<ul data-testid="invitations">${invitations.map(
          (invitation) =>
            html`<li>${invitation.email} · ${invitation.role} · ${
              invitation.expired ? 'expired' : html`expires ${timeElement(invitation.expiresAt, user.timezone)}`
            }</li>`,
        )}</ul>`
      : html`<p class="muted">No pending invitations.</p>`
  }
</section>`
}
${
  homes.length > 1
    ? html`<section class="card" aria-labelledby="other-heading" style="margin-top:1rem">
  <h2 id="other-heading" style="margin-top:0;font-size:1.1rem">Your workspaces</h2>
  <ul>${homes.map((other) => html`<li><a href="/workspaces/${other.id}">${other.name}</a> (${other.role})</li>`)}</ul>
</section>`
    : ''
}`;
      },
      renderSettingsExtra: (user) => {
        const history = segment.sessionHistory(user.id);
        return html`<section class="card" aria-labelledby="history-heading" style="margin-top:1rem">
  <h2 id="history-heading" style="margin-top:0;font-size:1.1rem">Session history</h2>
  <p class="muted" data-testid="history-zone">Times in ${user.timezone}, your Segment timezone.</p>
  <div class="table-scroll"><table data-testid="session-history">
    <thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Browser</th></tr></thead>
    <tbody>${history.map(
      (entry) =>
        html`<tr><td>${timeElement(entry.at, user.timezone)}</td><td>${entry.method === 'twilio' ? 'Twilio login' : 'Segment password'}</td><td>${entry.device ?? describeDevice({ userAgent: entry.userAgent, brands: undefined, platform: undefined })}</td></tr>`,
    )}</tbody>
  </table></div>
</section>`;
      },
    },
    deps,
  );
}
