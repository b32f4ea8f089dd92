/**
 * What every set-up route shares: the product in the path, the signed-in (and eligible) Twilio user, the set-up
 * page, and where refusals are shown (the set-up page again, or its "too many attempts" and "not available yet").
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type Provider from 'oidc-provider';
import type { SetupProductId } from '../../contract/catalogue';
import { continueWithTwilioUrl } from '../../contract/product-pages';
import type { AccessRequests } from '../access/access-requests';
import type { LoginThrottle } from '../accounts/login-throttle';
import type { UserStore } from '../accounts/users';
import { refusedWith, showRefusalsOn } from '../error-response';
import { RequestError, SetupRefusal } from '../errors';
import { PAGE_HEADERS } from '../html';
import { seeOther } from '../responses';
import type { ProductSetups } from './product-setups';
import { notEligiblePage, segmentSetupPage, sendgridSetupPage, tooManyAttemptsPage } from './setup-pages';
import { currentTwilioSession, setupCsrfToken, type TwilioSession } from './twilio-session';

export type SetupEnv = { Bindings: HttpBindings };
type Env = SetupEnv;

export interface SetupDeps {
  provider: Provider;
  users: UserStore;
  setups: ProductSetups;
  throttle: LoginThrottle;
  port: number;
  loginOrigin: string;
  csrfKey: string;
  accessRequests: AccessRequests;
}

export function productParam(c: Context<Env>): SetupProductId {
  const id = c.req.param('product');
  if (id !== 'segment' && id !== 'sendgrid') throw new RequestError('not_found', 'There is nothing to set up here.');
  return id;
}

export type SetupKit = ReturnType<typeof setupKit>;

export function setupKit(deps: SetupDeps) {
  const { provider, users, setups, port, csrfKey, accessRequests } = deps;

  function setupPage(
    product: SetupProductId,
    session: TwilioSession,
    { alert, name }: { alert?: string; name?: string },
  ) {
    const input = {
      twilio: session.user,
      csrfToken: setupCsrfToken(csrfKey, session),
      sameEmail: setups.userWithSameEmail(product, session.user),
      port,
      ...(alert ? { alert } : {}),
      ...(name ? { name } : {}),
    };
    return product === 'segment' ? segmentSetupPage(input) : sendgridSetupPage(input);
  }

  /**
   * Refusals of a set-up POST show the set-up page again with the reason (keeping the name typed), and a throttled
   * password its own "too many attempts" page. The page shows the Twilio user as they are when refused: an email
   * change confirmed in the Console during the set-up is one of the reasons.
   */
  function showRefusalsOnSetup(c: Context<Env>, product: SetupProductId, asRead: TwilioSession, name?: string) {
    showRefusalsOn(c, (error) => {
      const session = { ...asRead, user: users.findById(asRead.user.id) ?? asRead.user };
      if (error.code === 'too_many_attempts') {
        return { body: tooManyAttemptsPage(product, error.retryAfterSeconds ?? 1, port), headers: PAGE_HEADERS };
      }
      if (!(error instanceof SetupRefusal)) return undefined;
      const kept = name ? { name: name.slice(0, 64) } : {};
      return { body: setupPage(product, session, { alert: error.description, ...kept }), headers: PAGE_HEADERS };
    });
  }

  /** The signed-in Twilio user of a set-up request, or a redirect to sign in first. */
  async function twilioUser(c: Context<Env>, product: SetupProductId): Promise<TwilioSession | Response> {
    const session = await currentTwilioSession(provider, users, c.env.incoming, c.env.outgoing);
    if (session) return session;
    if (c.req.method !== 'GET') throw new RequestError('forbidden', 'Sign in to Twilio first, then set up again.');
    return seeOther(c, continueWithTwilioUrl(product, port, '/'));
  }

  /**
   * The signed-in, eligible Twilio user of a set-up request, or a redirect to sign in first. Users outside the
   * limited release get 403 with the page where they can request access (or see their request).
   */
  async function setupUser(c: Context<Env>, product: SetupProductId): Promise<TwilioSession | Response> {
    const session = await twilioUser(c, product);
    if (session instanceof Response || session.user.eligible) return session;
    const refusal = new RequestError('forbidden', 'Using this product with your Twilio login is in limited release.');
    const body = notEligiblePage({
      productId: product,
      twilio: session.user,
      csrfToken: setupCsrfToken(csrfKey, session),
      request: accessRequests.latestOf(session.user.id),
      port,
    });
    refusedWith(c, refusal, { body, headers: PAGE_HEADERS });
  }

  /** Set up: into the product, signed in through the Twilio session (no password prompt). */
  const intoProduct = (c: Context<Env>, product: SetupProductId) =>
    seeOther(c, continueWithTwilioUrl(product, port, '/'));

  return {
    ...deps,
    setupPage,
    showRefusalsOnSetup,
    twilioUser,
    setupUser,
    intoProduct,
    csrfTokenOf: (session: TwilioSession) => setupCsrfToken(csrfKey, session),
  };
}
