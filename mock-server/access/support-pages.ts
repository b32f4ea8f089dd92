/** The support operator's pages on the login host: the queue of access requests, and the refusal for others. */
import type { User } from '../accounts/users';
import { html, page, type SafeHtml } from '../html';
import { timeElement } from '../time-format';
import type { AccessRequest } from './access-requests';

export const SUPPORT_PATH = '/support/access-requests';

export interface SupportPageInput {
  operator: User;
  csrfToken: string;
  requests: readonly { request: AccessRequest; user: User | undefined; decidedBy: User | undefined }[];
  /** What the last decision did ("Granted access to Dan Reyes."), or why it was refused. */
  notice?: { text: string; refused: boolean };
}

const STATUS_TEXT = { pending: 'Waiting', granted: 'Granted', declined: 'Declined' } as const;

function decisionForms(request: AccessRequest, who: string, csrfToken: string): SafeHtml {
  const form = (action: 'grant' | 'decline', label: string, secondary: boolean) =>
    html`<form method="post" action="${SUPPORT_PATH}/${request.id}/${action}" style="display:inline-block;margin:0 .25rem 0 0">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <button type="submit" class="${secondary ? 'secondary ' : ''}inline">${label}<span class="visually-hidden"> ${who}</span></button>
</form>`;
  return html`${form('grant', 'Grant access to', false)}${form('decline', 'Decline request of', true)}`;
}

export function supportPage({ operator, csrfToken, requests, notice }: SupportPageInput): string {
  const zone = operator.timezone;
  const rows = requests.map(({ request, user, decidedBy }) => {
    const who = user ? `${user.name} (${user.email})` : 'a deleted user';
    const decided =
      request.status === 'pending'
        ? decisionForms(request, user?.name ?? 'this user', csrfToken)
        : html`${STATUS_TEXT[request.status]}${request.decidedAt ? html` on ${timeElement(request.decidedAt, zone)}` : ''}${decidedBy ? ` by ${decidedBy.name}` : ''}`;
    return html`<tr data-testid="access-request-${request.id}" data-status="${request.status}">
<th scope="row">${who}</th><td>${timeElement(request.requestedAt, zone)}</td><td>${STATUS_TEXT[request.status]}</td><td>${decided}</td></tr>`;
  });
  const pending = requests.filter(({ request }) => request.status === 'pending').length;
  return page({
    title: 'Access requests · Twilio support',
    wide: true,
    body: html`<div class="card"><div class="brand" aria-hidden="true">twilio support</div>
<h1>Access requests</h1>
<p class="muted">Signed in as ${operator.name} (${operator.email}). A grant gives the person unified login for Segment
and SendGrid at once; they are told by email either way. Times are in ${zone}.</p>
${notice ? html`<div class="${notice.refused ? 'alert' : 'notice'}" role="${notice.refused ? 'alert' : 'status'}">${notice.text}</div>` : ''}
<h2 style="font-size:1.1rem">${pending === 0 ? 'No requests waiting' : `${pending} waiting`}</h2>
${
  requests.length === 0
    ? html`<p data-testid="no-access-requests">Nobody has asked for access yet.</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Who</th><th scope="col">Asked</th><th scope="col">Status</th><th scope="col">Decision</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}</div>`,
  });
}

export function notAnOperatorPage(user: User): string {
  return page({
    title: 'Support only · Twilio',
    body: html`<div class="card"><div class="brand" aria-hidden="true">twilio</div>
<h1>This page is for Twilio support</h1>
<p>You are signed in as ${user.email}, which is not a support operator, so access requests can't be shown.</p>
<p><a href="/">Go to the Twilio Console</a></p></div>`,
  });
}
