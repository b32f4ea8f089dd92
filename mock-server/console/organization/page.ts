/**
 * The Console's organization page, for the organization's admins, everything on one page: verified domains (claim
 * and verify), single sign-on (connect or replace the IdP, enforce, IdP-initiated), SCIM apps (create — the
 * secret is shown once —, revoke), the members with their status (users deleted through SCIM apart, without
 * actions), and the audit trail.
 */
import { html, page, type SafeHtml } from '../../html';
import type { OrganizationMember } from '../../organizations/organizations';
import { timeElement } from '../../time-format';
import { consoleNav } from '../nav';
import { domainsSection } from './domains-section';
import { ssoSection } from './sso-section';
import type { OrganizationView, SectionContext } from './view';

const card = (id: string, title: string, body: SafeHtml) =>
  html`<section class="card" id="${id}" aria-labelledby="${id}-heading" style="margin-top:1rem">
  <h2 id="${id}-heading" style="margin-top:0;font-size:1.1rem">${title}</h2>
  ${body}
</section>`;

function scimSection({ view, csrf }: SectionContext) {
  const { apps, created, scimBaseUrl, tokenEndpoint, zone, refused } = view;
  const reveal = created
    ? html`<div class="notice" role="status" data-testid="scim-secret">
  <p><strong>SCIM app created.</strong> Copy the client secret now: it is shown only this once.</p>
  <dl><dt>Client id</dt><dd><code>${created.clientId}</code></dd>
  <dt>Client secret</dt><dd><code>${created.clientSecret}</code></dd></dl>
</div>`
    : '';
  const rows = apps.map(
    (app) => html`<tr><th scope="row">${app.name}</th><td><code>${app.clientId}</code></td>
<td>${timeElement(app.createdAt, zone)}</td>
<td><details class="confirm"><summary aria-label="Revoke ${app.name}">Revoke</summary>
<p>Revoke ${app.name}? Its secret and every token it was given stop working at once; provisioning through it stops.</p>
<form method="post" action="/organization/scim-apps/${app.clientId}/delete">
  ${csrf}
  <button type="submit" class="inline">Revoke ${app.name}</button>
</form></details></td></tr>`,
  );
  const nameRefused = refused?.form === 'scim-app' ? refused : undefined;
  return card(
    'scim',
    'SCIM provisioning',
    html`${reveal}
<p class="muted">Provisioning clients (Okta, Microsoft Entra, …) get a token from <code>${tokenEndpoint}</code> with the
client credentials grant and the scope <code>scim</code>, and call <code>${scimBaseUrl}</code>. Revoking an app stops
its secret and every token it was given at once.</p>
<div class="table-scroll"><table data-testid="scim-apps"><thead><tr><th scope="col">Name</th><th scope="col">Client id</th>
<th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table></div>
<form method="post" action="/organization/scim-apps" style="margin-top:1rem">
  ${csrf}
  ${nameRefused ? html`<div class="alert" role="alert" id="scim-app-error" data-error-code="${nameRefused.code}">${nameRefused.message}</div>` : ''}
  <label for="scim-app-name">New SCIM app name</label>
  <input id="scim-app-name" name="name" required maxlength="80" autocomplete="off" value="${nameRefused?.values.name ?? ''}"${nameRefused ? html` aria-invalid="true" aria-describedby="scim-app-error"` : ''}>
  <button type="submit">Create SCIM app</button>
</form>`,
  );
}

const status = (member: OrganizationMember) => (member.active ? 'Active' : 'Deactivated');

/** Users deleted through SCIM, apart from the members and without actions: only SCIM brings one back. */
function deletedUsersPart({ deletedUsers, zone }: OrganizationView) {
  if (deletedUsers.length === 0) return '';
  const rows = deletedUsers.map(
    (user) => html`<tr data-testid="deleted-user-${user.id}"><th scope="row">${user.name}</th>
<td>${user.email ?? 'Given up to another user'}</td><td>${timeElement(user.deletedAt, zone)}</td></tr>`,
  );
  return html`<h3 id="deleted-users-heading" style="font-size:1rem">Deleted users</h3>
<p class="muted" id="deleted-users-note">Deleted by your identity provider through SCIM: they sign in nowhere, and nothing here changes them.</p>
<div class="table-scroll"><table data-testid="deleted-users" aria-labelledby="deleted-users-heading" aria-describedby="deleted-users-note"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Deleted</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function membersSection({ view }: SectionContext) {
  const rows = view.members.map(
    (
      member,
    ) => html`<tr data-testid="member-${member.email}"><th scope="row">${member.email}</th><td>${member.name}</td>
<td>${member.role === 'admin' ? 'Admin' : 'Member'}</td><td>${status(member)}</td>
<td>${member.ssoOnly ? 'SSO only' : 'SSO or password'}</td></tr>`,
  );
  return card(
    'members',
    'Members',
    html`<div class="table-scroll"><table data-testid="members"><thead><tr><th scope="col">Email</th><th scope="col">Name</th>
<th scope="col">Role</th><th scope="col">Status</th><th scope="col">Sign-in</th></tr></thead><tbody>${rows}</tbody></table></div>
${deletedUsersPart(view)}`,
  );
}

function auditSection({ view }: SectionContext) {
  const rows = view.events.map(
    (event) => html`<tr><td>${timeElement(event.at, view.zone)}</td>
<td>${event.who}</td><td>${event.details}</td></tr>`,
  );
  return card(
    'audit',
    'Audit trail',
    view.events.length
      ? html`<div class="table-scroll"><table data-testid="audit"><thead><tr><th scope="col">When</th><th scope="col">Who</th>
<th scope="col">What</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="muted">Nothing yet.</p>`,
  );
}

export function organizationPage(view: OrganizationView): string {
  const context: SectionContext = {
    view,
    csrf: html`<input type="hidden" name="csrf" value="${view.session.csrfToken}">`,
  };
  return page({
    title: `${view.organization.name} · Organization · Twilio Console`,
    wide: true,
    header: consoleNav(view),
    body: html`<h1>Organization: ${view.organization.name}</h1>
<nav aria-label="Organization settings"><p>
  <a href="#domains">Verified domains</a> · <a href="#sso">Single sign-on</a> · <a href="#scim">SCIM provisioning</a> ·
  <a href="#members">Members</a> · <a href="#audit">Audit trail</a>
</p></nav>
${domainsSection(context)}
${ssoSection(context)}
${scimSection(context)}
${membersSection(context)}
${auditSection(context)}`,
  });
}
