/**
 * The set-up pages on the login host (never in a product page: linking takes the Segment password). Plain HTML,
 * no script; every control labelled. Segment offers linking the existing Segment user or creating a new one;
 * SendGrid offers only creating, and says why.
 */
import { PRODUCTS, type SetupProductId, siteOrigin } from '../../contract/catalogue';
import { productIconSvg } from '../../contract/product-icons';
import type { AccessRequest } from '../access/access-requests';
import type { User } from '../accounts/users';
import { html, page, SafeHtml } from '../html';
import type { ProductUser } from '../products/product-users';
import { timeElement } from '../time-format';
import { firstName, MAX_NAME_LENGTH } from './product-setups';

export interface SetupPageInput {
  twilio: User;
  csrfToken: string;
  /** The product user with the Twilio user's email, linked or not. */
  sameEmail: ProductUser | undefined;
  /** Why the last submission was refused. */
  alert?: string;
  /** What the user typed in a name field, kept after a refusal. */
  name?: string;
  port: number;
}

function layout(title: string, content: SafeHtml, port: number): string {
  return page({
    title: `${title} · Twilio`,
    body: html`<div class="card"><div class="brand" aria-hidden="true">twilio</div>${content}
<p><a href="${siteOrigin('console', port)}/">Back to the Twilio Console</a></p></div>`,
  });
}

/** The product's glyph before a heading (decorative: the heading names the product). */
const icon = (productId: SetupProductId) => new SafeHtml(productIconSvg(productId, 32));

const alertOf = (text: string | undefined) => (text ? html`<div class="alert" role="alert">${text}</div>` : '');
const section = (id: string, heading: string, content: SafeHtml) =>
  html`<section aria-labelledby="${id}"><h2 id="${id}" style="font-size:1.1rem;margin:1.5rem 0 .5rem">${heading}</h2>
${content}</section>`;

export function segmentSetupPage({ twilio, csrfToken, sameEmail, alert, name, port }: SetupPageInput): string {
  const linkedElsewhere = sameEmail?.twilioSub !== undefined && sameEmail.twilioSub !== twilio.id;
  const link = !sameEmail
    ? html`<p data-testid="no-segment-user">No Segment user has the email ${twilio.email}. If your Segment user has
another email, sign in to Segment with it and change its email to ${twilio.email} first, then come back here. Or
create a new Segment user below.</p>`
    : linkedElsewhere
      ? html`<p>The Segment user ${sameEmail.email} is already linked to a different Twilio login. Sign in with that
Twilio login, or contact support.</p>`
      : html`<p>Your Segment user <strong>${sameEmail.email}</strong> will sign in with your Twilio login from now on.
Its workspaces, roles and invitations stay as they are; its Segment password will stop working.</p>
<form method="post" action="/setup/segment/link">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="segment-password">Segment password</label>
  <input id="segment-password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
  <button type="submit">Link Segment user</button>
</form>`;
  const create = sameEmail
    ? html`<p data-testid="create-refused">You already have a Segment user with the email ${sameEmail.email}, so a
second one can't be created. ${linkedElsewhere ? '' : 'Link it above instead.'}</p>`
    : html`<p>A new Segment user for ${twilio.email} on the free plan, with a new workspace where you are the Owner.</p>
<form method="post" action="/setup/segment/create">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="workspace-name">Workspace name</label>
  <input id="workspace-name" name="workspace" type="text" required maxlength="${MAX_NAME_LENGTH}" value="${name ?? `${firstName(twilio)}'s workspace`}">
  <button type="submit">Create Segment user</button>
</form>`;
  return layout(
    'Set up Segment',
    html`<h1 class="with-icon">${icon('segment')}Set up Segment</h1>
<p class="muted">Signed in to Twilio as ${twilio.email}. Choose how to use Segment with your Twilio login.</p>
${alertOf(alert)}
${section('link-heading', 'Link your existing Segment user', link)}
${section('create-heading', 'Create a new Segment user', create)}`,
    port,
  );
}

export function sendgridSetupPage({ twilio, csrfToken, sameEmail, alert, name, port }: SetupPageInput): string {
  const create = sameEmail
    ? html`<p data-testid="email-conflict">A SendGrid user with the email ${sameEmail.email} already exists, and
existing SendGrid users can't be linked to a Twilio login. To create a new SendGrid user for your Twilio login, sign in
to SendGrid with that user and change its email first, or contact support.</p>`
    : html`<p>A new SendGrid user for ${twilio.email}, with a new account on the free plan where you are Admin.</p>
<form method="post" action="/setup/sendgrid/create">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="account-name">Account name</label>
  <input id="account-name" name="account" type="text" required maxlength="${MAX_NAME_LENGTH}" value="${name ?? `${firstName(twilio)}'s account`}">
  <button type="submit">Create SendGrid user</button>
</form>`;
  return layout(
    'Set up SendGrid',
    html`<h1 class="with-icon">${icon('sendgrid')}Set up SendGrid</h1>
<p class="muted">Signed in to Twilio as ${twilio.email}.</p>
${alertOf(alert)}
${section('create-heading', 'Create a new SendGrid user', create)}
<p data-testid="no-sendgrid-linking"><strong>Linking an existing SendGrid user is not available.</strong> Existing
SendGrid users keep signing in to SendGrid with their SendGrid email and password.</p>`,
    port,
  );
}

export interface NotEligiblePageInput {
  productId: SetupProductId;
  twilio: User;
  csrfToken: string;
  /** The user's latest request for access, if any. */
  request: AccessRequest | undefined;
  port: number;
}

/** Limited release: the user may request access here (or sees the request waiting, or its decline). */
export function notEligiblePage({ productId, twilio, csrfToken, request, port }: NotEligiblePageInput): string {
  const product = PRODUCTS[productId];
  const askForm = (label: string) => html`<form method="post" action="/setup/${productId}/request-access">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <button type="submit">${label}</button>
</form>`;
  const state =
    request?.status === 'pending'
      ? html`<div class="notice" role="status" data-testid="access-requested"><strong>Access requested</strong>
<p style="margin:.25rem 0 0">You asked on ${timeElement(request.requestedAt, twilio.timezone)}. Support will email
${twilio.email} when it is decided; you don't need to ask again.</p></div>`
      : request?.status === 'declined'
        ? html`<div class="alert" role="alert" data-testid="access-declined">Support declined your request on
${timeElement(request.decidedAt ?? request.requestedAt, twilio.timezone)}. You can ask again if something has changed.</div>
${askForm('Request access again')}`
        : html`<p>Request access and Twilio support will review it. You'll get an email at ${twilio.email} when it's
decided.</p>
${askForm('Request access')}`;
  return layout(
    `${product.name} is not available yet`,
    html`<h1 class="with-icon">${icon(productId)}${product.name} is not available yet</h1>
<p>Using ${product.name} with your Twilio login is in limited release: support gives access to Segment and SendGrid
together.</p>
${state}`,
    port,
  );
}

export function tooManyAttemptsPage(productId: SetupProductId, retryAfterSeconds: number, port: number) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return layout(
    'Too many attempts',
    html`<h1>Too many attempts</h1>
<p>For your security, wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} before trying again.</p>
<p><a href="/setup/${productId}">Back to set-up</a></p>`,
    port,
  );
}
