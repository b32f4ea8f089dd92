/**
 * The Twilio login's own interaction pages, where oidc-provider hands over for authentication:
 * email + password, then a TOTP code for users with 2FA, then back to the provider with the login result.
 * No consent screen: every client is first-party (see `loadFirstPartyGrant`).
 *
 * Every POST is same-origin only, carries the interaction's CSRF token, has a capped body, and answers with a 303.
 * Wrong password and unknown email answer identically; attempts are throttled per account and per IP.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import { errors as oidcErrors } from 'oidc-provider';
import { accountKey, ipKey, type LoginThrottle } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../accounts/passwords';
import { looksLikeRecoveryCode, type RecoveryCodes } from '../accounts/recovery-codes';
import { matchTotpStep } from '../accounts/totp';
import { MAX_EMAIL_LENGTH, normaliseEmail, type User, type UserStore } from '../accounts/users';
import { showRefusalsOn } from '../error-response';
import { RequestError } from '../errors';
import { PAGE_HEADERS } from '../html';
import { seeOther } from '../responses';
import { checkedForm, clientAddress, limitBody, sameOriginOnly } from '../security';
import type { LoginStep, LoginSteps } from './login-steps';
import { LOGIN_NOTICE_PARAM, loginPage, productNotice, tooManyAttemptsPage, totpPage } from './pages';

type Env = { Bindings: HttpBindings };
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface InteractionDeps {
  provider: Provider;
  users: UserStore;
  throttle: LoginThrottle;
  steps: LoginSteps;
  clock: () => number;
  loginOrigin: string;
  /** The TOTP step also accepts one of the user's recovery codes, each once. */
  recoveryCodes: RecoveryCodes;
}

function htmlResponse(c: Context<Env>, body: string) {
  return c.body(body, 200, PAGE_HEADERS);
}

/** A throttled login or code shows its own page, with the wait, and a way back to this sign-in. */
function showThrottlingOn(c: Context<Env>, uid: string) {
  showRefusalsOn(c, (error) =>
    error.code === 'too_many_attempts'
      ? { body: tooManyAttemptsPage(uid, error.retryAfterSeconds ?? 1), headers: PAGE_HEADERS }
      : undefined,
  );
}

export function interactionRoutes(deps: InteractionDeps): Hono<Env> {
  const { provider, users, throttle, steps, clock } = deps;
  const app = new Hono<Env>();

  /** The interaction this browser is in (from the provider's cookie); it must be the one in the URL. */
  async function currentInteraction(c: Context<Env>): Promise<Interaction> {
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

  async function currentStep(c: Context<Env>): Promise<{ interaction: Interaction; step: LoginStep }> {
    const interaction = await currentInteraction(c);
    return { interaction, step: steps.ensure(interaction.uid, interaction.exp * 1000) };
  }

  /** A code is accepted once: its step must be later than the last step this user used. */
  function acceptTotp(userId: string, secret: string, code: string): boolean {
    const step = matchTotpStep(secret, code, clock());
    return step !== undefined && users.acceptTotpStep(userId, step);
  }

  async function finishLogin(c: Context<Env>, interaction: Interaction, user: User, amr: string[]) {
    steps.finish(interaction.uid);
    const returnTo = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: user.id, amr } },
      { mergeWithLastSubmission: false },
    );
    return seeOther(c, returnTo);
  }

  app.use('/interaction/:uid/*', sameOriginOnly(deps.loginOrigin), limitBody());

  app.get('/interaction/:uid', async (c) => {
    const { interaction, step } = await currentStep(c);
    if (interaction.prompt.name === 'consent') return grantFirstPartyConsent(c, interaction);
    if (interaction.prompt.name !== 'login') {
      throw new RequestError('invalid_request', 'This sign-in step is not supported.');
    }
    if (step.pendingUserId) return seeOther(c, `/interaction/${interaction.uid}/totp`);
    if (steps.pendingExpired(interaction.uid)) steps.resetToPassword(interaction.uid, 'expired');
    const shown = steps.find(interaction.uid)!;
    if (shown.notice) steps.setNotice(interaction.uid, undefined);
    const hint = interaction.params.login_hint;
    const client = await provider.Client.find(String(interaction.params.client_id));
    const clientName = client?.clientName ?? 'Twilio';
    const hinted = typeof hint === 'string' ? normaliseEmail(hint.slice(0, MAX_EMAIL_LENGTH)) : '';
    const isProduct = client?.clientId === 'segment' || client?.clientId === 'sendgrid';
    return htmlResponse(
      c,
      loginPage({
        uid: interaction.uid,
        csrfToken: step.csrfToken,
        clientName,
        email: shown.email ?? hinted,
        notice: shown.notice,
        explanation: isProduct ? productNotice(interaction.params[LOGIN_NOTICE_PARAM], clientName, hinted) : undefined,
      }),
    );
  });

  app.post('/interaction/:uid/login', async (c) => {
    const { interaction, step } = await currentStep(c);
    const form = await checkedForm(c.req.raw, step.csrfToken);
    const email = form.email ?? '';
    const password = form.password ?? '';
    if (!email || !password) throw new RequestError('invalid_request', 'Enter your email and password.');
    if (email.length > MAX_EMAIL_LENGTH) throw new RequestError('invalid_request', 'That email is too long.');
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');
    if (interaction.prompt.name !== 'login') throw new RequestError('invalid_request', 'This sign-in step is over.');

    const normalised = normaliseEmail(email);
    showThrottlingOn(c, interaction.uid);
    // A deactivated user is refused like a wrong password (and verified against the dummy hash, just as slow).
    const found = users.findCredentials(normalised);
    const credentials = found?.user.active ? found : undefined;
    const keys = [accountKey(normalised), ipKey(clientAddress(c.env.incoming))] as const;
    const right = await throttle.checkCredential(keys, () => verifyPassword(credentials?.passwordHash, password));
    if (!right || !credentials) {
      steps.setNotice(interaction.uid, 'credentials', normalised);
      return seeOther(c, `/interaction/${interaction.uid}`);
    }
    if (credentials.user.totpSecret) {
      steps.startTotp(interaction.uid, credentials.user.id);
      return seeOther(c, `/interaction/${interaction.uid}/totp`);
    }
    return finishLogin(c, interaction, credentials.user, ['pwd']);
  });

  app.get('/interaction/:uid/totp', async (c) => {
    const { interaction, step } = await currentStep(c);
    if (!step.pendingUserId) return seeOther(c, `/interaction/${interaction.uid}`);
    if (step.notice) steps.setNotice(interaction.uid, undefined);
    return htmlResponse(c, totpPage({ uid: interaction.uid, csrfToken: step.csrfToken, notice: step.notice }));
  });

  app.post('/interaction/:uid/totp', async (c) => {
    const { interaction, step } = await currentStep(c);
    const form = await checkedForm(c.req.raw, step.csrfToken);
    const user = step.pendingUserId ? users.findById(step.pendingUserId) : undefined;
    if (!user?.totpSecret || !user.active) {
      steps.resetToPassword(interaction.uid, steps.pendingExpired(interaction.uid) ? 'expired' : undefined);
      return seeOther(c, `/interaction/${interaction.uid}`);
    }
    const code = (form.code ?? '').replace(/\s/g, '');
    if (code.length > 16) throw new RequestError('invalid_request', 'That code is too long.');
    showThrottlingOn(c, interaction.uid);
    const secret = user.totpSecret;
    const keys = [accountKey(user.email), ipKey(clientAddress(c.env.incoming))] as const;
    const accepted = await throttle.checkCredential(keys, () =>
      looksLikeRecoveryCode(code) ? deps.recoveryCodes.consume(user.id, code) : acceptTotp(user.id, secret, code),
    );
    if (!accepted) {
      steps.setNotice(interaction.uid, 'totp');
      return seeOther(c, `/interaction/${interaction.uid}/totp`);
    }
    return finishLogin(c, interaction, user, ['pwd', 'otp']);
  });

  app.post('/interaction/:uid/abort', async (c) => {
    const { interaction, step } = await currentStep(c);
    await checkedForm(c.req.raw, step.csrfToken);
    steps.finish(interaction.uid);
    const returnTo = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
    return seeOther(c, returnTo);
  });

  /** A signed-in user whose grant lacks something the client asked for (e.g. prompt=consent): grant it. */
  async function grantFirstPartyConsent(c: Context<Env>, interaction: Interaction) {
    const accountId = interaction.session?.accountId;
    const clientId = String(interaction.params.client_id);
    if (!accountId) throw new RequestError('interaction_expired', 'This sign-in has expired. Start again.');
    const grant =
      (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId });
    const details = interaction.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return seeOther(c, returnTo);
  }

  return app;
}
