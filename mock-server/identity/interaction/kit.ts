/**
 * What every step of the Twilio login's interaction shares: the interaction in progress (from the provider's
 * cookie, checked against the URL), its login step, finishing the login, and the "too many attempts" page.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type Provider from 'oidc-provider';
import { errors as oidcErrors } from 'oidc-provider';
import type { LoginThrottle } from '../../accounts/login-throttle';
import type { RecoveryCodes } from '../../accounts/recovery-codes';
import type { User, UserStore } from '../../accounts/users';
import { showRefusalsOn } from '../../error-response';
import { RequestError } from '../../errors';
import { PAGE_HEADERS } from '../../html';
import { seeOther } from '../../responses';
import type { SsoRouteDeps } from '../../sso/routes';
import type { DeviceCookies } from '../device-cookies';
import type { LoginStep, LoginSteps } from '../login-steps';
import { tooManyAttemptsPage } from '../pages';

export type InteractionEnv = { Bindings: HttpBindings };
export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;
type C = Context<InteractionEnv>;

export interface InteractionDeps {
  provider: Provider;
  users: UserStore;
  throttle: LoginThrottle;
  steps: LoginSteps;
  clock: () => number;
  loginOrigin: string;
  /** The TOTP step also accepts one of the user's recovery codes, each once. */
  recoveryCodes: RecoveryCodes;
  /** Which emails sign in at their organization's IdP, and how an SSO sign-in finishes. */
  ssoRoutes: SsoRouteDeps;
  /** Which attempts the account-wide lockout limits, and the cookie a successful login leaves. */
  deviceCookies: DeviceCookies;
}

export type InteractionKit = ReturnType<typeof interactionKit>;

export function interactionKit(deps: InteractionDeps) {
  const { provider, steps } = deps;

  /** The interaction this browser is in (from the provider's cookie); it must be the one in the URL. */
  async function currentInteraction(c: C): Promise<Interaction> {
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch (cause) {
      if (cause instanceof oidcErrors.OIDCProviderError && cause.statusCode < 500) {
        throw new RequestError('interaction_expired', 'This sign-in has expired. Go back to the app and start again.', {
          cause,
        });
      }
      throw cause;
    }
    if (interaction.uid !== c.req.param('uid')) {
      throw new RequestError('interaction_expired', 'This sign-in is not the one in progress in this browser.');
    }
    return interaction;
  }

  return {
    ...deps,

    /** The interaction in progress and its login step (created on first sight). */
    async currentStep(c: C): Promise<{ interaction: Interaction; step: LoginStep }> {
      const interaction = await currentInteraction(c);
      return { interaction, step: steps.ensure(interaction.uid, interaction.exp * 1000) };
    },

    htmlResponse: (c: C, body: string) => c.body(body, 200, PAGE_HEADERS),

    /** A throttled login or code shows its own page, with the wait, and a way back to this sign-in. */
    showThrottlingOn(c: C, uid: string): void {
      showRefusalsOn(c, (error) =>
        error.code === 'too_many_attempts'
          ? { body: tooManyAttemptsPage(uid, error.retryAfterSeconds ?? 1), headers: PAGE_HEADERS }
          : undefined,
      );
    },

    /** Back to the provider with the login result: the user and how they proved it (`amr`). */
    async finishLogin(c: C, interaction: Interaction, user: User, amr: string[]) {
      steps.finish(interaction.uid);
      deps.deviceCookies.remember(c, user.id);
      const returnTo = await provider.interactionResult(
        c.env.incoming,
        c.env.outgoing,
        { login: { accountId: user.id, amr } },
        { mergeWithLastSubmission: false },
      );
      return seeOther(c, returnTo);
    },
  };
}
