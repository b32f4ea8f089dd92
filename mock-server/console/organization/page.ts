/**
 * The Console's organization page, for the organization's admins: verified domains, single sign-on, SCIM apps
 * (create — the secret is shown once —, delete), the members with their status, and the audit trail.
 */
import { html, page, type SafeHtml } from '../../html';
import type { OrganizationEvent } from '../../organizations/audit';
import type { Organization, OrganizationDomain, OrganizationMember } from '../../organizations/organizations';
import type { RpSession } from '../../relying-party';
import type { ScimApp, ScimAppCredentials } from '../../scim/scim-apps';
import { timeElement } from '../../time-format';
import { consoleNav } from '../nav';
import { ssoSettingsSection } from './sso-section';

export interface OrganizationView {
  session: RpSession;
  organization: Organization;
  domains: OrganizationDomain[];
  apps: ScimApp[];
  members: OrganizationMember[];
  /** The latest events, each with who did it in words (the SCIM app's name, the admin's email). */
  events: (OrganizationEvent & { who: string })[];
  /** A SCIM app just created: its secret, shown this once. */
  created: ScimAppCredentials | undefined;
  scimBaseUrl: string;
  tokenEndpoint: string;
  /** The admin's Console timezone. */
  zone: string;
}

const card = (id: string, title: string, body: SafeHtml) =>
  html`<section class="card" aria-labelledby="${id}-heading" style="margin-top:1rem">
  <h2 id="${id}-heading" style="margin-top:0;font-size:1.1rem">${title}</h2>
  ${body}
</section>`;

function domainsSection({ domains }: OrganizationView) {
  const rows = domains.map(
    (domain) =>
      html`<tr><th scope="row">${domain.domain}</th><td>${domain.verified ? 'Verified' : 'Not verified'}</td></tr>`,
  );
  return card(
    'domains',
    'Verified domains',
    html`<p class="muted">Single sign-on and SCIM apply to users of verified domains.</p>
<table data-testid="domains"><thead><tr><th scope="col">Domain</th><th scope="col">Status</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}

function scimSection({ apps, created, session, scimBaseUrl, tokenEndpoint, zone }: OrganizationView) {
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
<td><form method="post" action="/organization/scim-apps/${app.clientId}/delete">
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <button type="submit" aria-label="Delete ${app.name}">Delete</button>
</form></td></tr>`,
  );
  return card(
    'scim',
    'SCIM provisioning',
    html`${reveal}
<p class="muted">Provisioning clients (Okta, Microsoft Entra, …) get a token from <code>${tokenEndpoint}</code> with the
client credentials grant and the scope <code>scim</code>, and call <code>${scimBaseUrl}</code>.</p>
<table data-testid="scim-apps"><thead><tr><th scope="col">Name</th><th scope="col">Client id</th>
<th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table>
<form method="post" action="/organization/scim-apps" style="margin-top:1rem">
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <label for="scim-app-name">New SCIM app name</label>
  <input id="scim-app-name" name="name" required maxlength="80" autocomplete="off">
  <button type="submit">Create SCIM app</button>
</form>`,
  );
}

const status = (member: OrganizationMember) => (member.active ? 'Active' : 'Deactivated');

function membersSection({ members }: OrganizationView) {
  const rows = members.map(
    (
      member,
    ) => html`<tr data-testid="member-${member.email}"><th scope="row">${member.email}</th><td>${member.name}</td>
<td>${member.role === 'admin' ? 'Admin' : 'Member'}</td><td>${status(member)}</td>
<td>${member.ssoOnly ? 'SSO only' : 'SSO or password'}</td></tr>`,
  );
  return card(
    'members',
    'Members',
    html`<table data-testid="members"><thead><tr><th scope="col">Email</th><th scope="col">Name</th>
<th scope="col">Role</th><th scope="col">Status</th><th scope="col">Sign-in</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function auditSection({ events, zone }: OrganizationView) {
  const rows = events.map(
    (event) => html`<tr><td>${timeElement(event.at, zone)}</td>
<td>${event.who}</td><td>${event.details}</td></tr>`,
  );
  return card(
    'audit',
    'Audit trail',
    events.length
      ? html`<table data-testid="audit"><thead><tr><th scope="col">When</th><th scope="col">Who</th>
<th scope="col">What</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="muted">Nothing yet.</p>`,
  );
}

export function organizationPage(view: OrganizationView): string {
  return page({
    title: `${view.organization.name} · Organization · Twilio Console`,
    wide: true,
    header: consoleNav(view.session),
    body: html`<h1>Organization: ${view.organization.name}</h1>
${domainsSection(view)}
${ssoSettingsSection({ organization: view.organization, csrfToken: view.session.csrfToken })}
${scimSection(view)}
${membersSection(view)}
${auditSection(view)}`,
  });
}
