/**
 * `/support/access-requests` on the login host: where a support operator grants or declines requests for unified
 * login. The operator signs in through the Twilio login as the support page's own OIDC client; afterwards the
 * page reads the Twilio login session of the browser (like the set-up pages), so signing out of Twilio ends it.
 * Only users with the `support_operator` role see the queue (others get 403); decisions are same-origin POSTs with
 * a CSRF token bound to the session.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import type { UserStore } from '../accounts/users';
import { showRefusalsOn } from '../error-response';
import { AccessRefusal, RequestError } from '../errors';
import { html, PAGE_HEADERS } from '../html';
import { SUPPORT_CALLBACK_PATH } from '../identity/clients';
import { messagePage } from '../identity/pages';
import { currentTwilioSession, sessionCsrfToken, type TwilioSession } from '../linking/twilio-session';
import type { RelyingParty } from '../relying-party';
import { formOnly, seeOther } from '../responses';
import { checkedForm, sameOriginOnly } from '../security';
import type { AccessRequests } from './access-requests';
import { notAnOperatorPage, SUPPORT_PATH, supportPage } from './support-pages';

type Env = { Bindings: HttpBindings };

export interface SupportDeps {
  provider: Provider;
  users: UserStore;
  accessRequests: AccessRequests;
  /** The support page's relying party (its own client), used only to sign the operator in. */
  supportRp: RelyingParty;
  loginOrigin: string;
  csrfKey: string;
}

const REQUEST_ID = /^ar_[0-9a-f]{32}$/;

export function supportRoutes({ provider, users, accessRequests, supportRp, loginOrigin, csrfKey }: SupportDeps) {
  const app = new Hono<Env>();
  app.use('/support/*', sameOriginOnly(loginOrigin));
  const csrfOf = (session: TwilioSession) => sessionCsrfToken(csrfKey, session, 'support');

  /** The signed-in support operator; otherwise the sign-in (GET) or a 403. */
  async function operator(c: Context<Env>): Promise<TwilioSession | Response> {
    const session = await currentTwilioSession(provider, users, c.env.incoming, c.env.outgoing);
    if (!session) {
      if (c.req.method !== 'GET') throw new RequestError('forbidden', 'Sign in as a support operator first.');
      return supportRp.startSignIn(c, { returnTo: SUPPORT_PATH });
    }
    if (session.user.role !== 'support_operator') return c.body(notAnOperatorPage(session.user), 403, PAGE_HEADERS);
    return session;
  }

  function queuePage(session: TwilioSession, notice?: { text: string; refused: boolean }): string {
    const requests = accessRequests.list().map((request) => ({
      request,
      user: users.findById(request.twilioSub),
      decidedBy: request.decidedBy ? users.findById(request.decidedBy) : undefined,
    }));
    return supportPage({ operator: session.user, csrfToken: csrfOf(session), requests, ...(notice ? { notice } : {}) });
  }

  app.get('/support', (c) => seeOther(c, SUPPORT_PATH));

  app.get(SUPPORT_CALLBACK_PATH, async (c) => {
    // The code flow's checks (state, PKCE, nonce, iss) prove the sign-in; the IdP session it left is what counts.
    const outcome = await supportRp.completeSignIn(c);
    if (!outcome.cancelled) return seeOther(c, outcome.returnTo);
    // Cancelled at the Twilio login: say so, and sign in again only when asked.
    const signIn = html`<p><a href="${SUPPORT_PATH}">Sign in</a></p>`;
    return c.body(messagePage('Sign-in cancelled', 'You cancelled the sign-in.', signIn), 200, PAGE_HEADERS);
  });

  app.get(SUPPORT_PATH, async (c) => {
    const session = await operator(c);
    if (session instanceof Response) return session;
    const decided = c.req.query('decided');
    const request = decided && REQUEST_ID.test(decided) ? accessRequests.find(decided) : undefined;
    const person = request && users.findById(request.twilioSub);
    const notice =
      request && person && request.status !== 'pending'
        ? {
            text:
              request.status === 'granted'
                ? `Granted: ${person.name} can now set up Segment and SendGrid.`
                : `Declined: ${person.name} has been told and may ask again.`,
            refused: false,
          }
        : undefined;
    return c.body(queuePage(session, notice), 200, PAGE_HEADERS);
  });

  formOnly(app, `${SUPPORT_PATH}/:id/:decision`, 'Use the Grant and Decline buttons on the list of access requests.');
  app.post(`${SUPPORT_PATH}/:id/:decision`, async (c) => {
    const decision = c.req.param('decision');
    const id = c.req.param('id');
    if ((decision !== 'grant' && decision !== 'decline') || !REQUEST_ID.test(id)) {
      throw new RequestError('not_found', 'There is no such access request to decide.');
    }
    const session = await operator(c);
    if (session instanceof Response) return session;
    if (!accessRequests.find(id)) throw new RequestError('not_found', 'There is no such access request to decide.');
    await checkedForm(c.req.raw, csrfOf(session));
    // A request decided meanwhile (another operator, another tab) shows the queue again with the reason.
    showRefusalsOn(c, (error) =>
      error instanceof AccessRefusal
        ? { body: queuePage(session, { text: error.description, refused: true }), headers: PAGE_HEADERS }
        : undefined,
    );
    if (decision === 'grant') accessRequests.grant(id, session.user);
    else accessRequests.decline(id, session.user);
    return seeOther(c, `${SUPPORT_PATH}?decided=${id}`);
  });

  return app;
}
