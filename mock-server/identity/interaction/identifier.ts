/**
 * Identifier first: the sign-in page asks for the email, and the email decides the next step — the
 * organization's identity provider (a member of an organization that enforces SSO on the email's verified domain,
 * see ../../sso/sso-directory.ts) or the password. A `login_hint` (from a product, the extension or the
 * login-redirect notice) counts as the email given. An IdP-initiated SSO sign-in, carried here by its ticket
 * cookie, finishes at this page too.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { emailCharacterProblem, MAX_EMAIL_LENGTH, normaliseEmail } from '../../../contract/email';
import { RequestError } from '../../errors';
import { seeOther } from '../../responses';
import { checkedForm } from '../../security';
import { finishSsoLogin, idpInitiatedTicket, SSO_TICKET_COOKIE } from '../../sso/routes';
import {
  emailPage,
  LOGIN_NOTICE_PARAM,
  type LoginNotice,
  loginPage,
  productNotice,
  ssoRefusedPage,
  ssoRequiredPage,
} from '../pages';
import { grantFirstPartyConsent } from './consent';
import type { Interaction, InteractionEnv, InteractionKit } from './kit';

export function identifierRoutes(kit: InteractionKit): Hono<InteractionEnv> {
  const { provider, steps, ssoRoutes } = kit;
  const { sso } = ssoRoutes;
  const app = new Hono<InteractionEnv>();

  app.get('/interaction/:uid', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    if (interaction.prompt.name === 'consent') return grantFirstPartyConsent(provider, c, interaction);
    if (interaction.prompt.name !== 'login') {
      throw new RequestError('invalid_request', 'This sign-in step is not supported.');
    }
    const uid = interaction.uid;
    if (step.pendingUserId) return seeOther(c, `/interaction/${uid}/totp`);
    const ticket = idpInitiatedTicket(c);
    if (ticket) {
      deleteCookie(c, SSO_TICKET_COOKIE, { path: '/interaction' });
      const userId = ssoRoutes.samlState.redeemTicket(ticket, uid);
      if (userId) return finishSsoLogin(c, ssoRoutes, uid, userId);
    }
    let shown = step;
    if (step.pendingExpired) {
      steps.resetToPassword(uid, 'expired');
      shown = steps.find(uid)!;
    }
    if (shown.ssoRefusal) {
      // Said once; the next visit asks for an email again rather than going back to the IdP.
      steps.refuseSso(uid, undefined);
      steps.identify(uid, '');
      return kit.htmlResponse(c, ssoRefusedPage({ uid, csrfToken: step.csrfToken, message: shown.ssoRefusal }));
    }
    if (shown.notice) steps.setNotice(uid, undefined);
    // The email given here wins; '' means "use another email", which also sets a login_hint aside.
    const email = shown.email !== undefined ? shown.email || undefined : hintedEmail(interaction);
    return nextStep(c, interaction, step.csrfToken, email, shown.notice);
  });

  app.post('/interaction/:uid/identify', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    const form = await checkedForm(c.req.raw, step.csrfToken);
    const email = normaliseEmail(form.email ?? '');
    if (!email.includes('@')) throw new RequestError('invalid_request', 'Enter your email.');
    if (email.length > MAX_EMAIL_LENGTH) throw new RequestError('invalid_request', 'That email is too long.');
    const problem = emailCharacterProblem(form.email ?? '');
    if (problem) throw new RequestError('invalid_request', problem);
    steps.identify(interaction.uid, email);
    // A sign-in past its email (a second factor pending, a consent to give) goes on where the sign-in page says.
    if (interaction.prompt.name !== 'login' || step.pendingUserId)
      return seeOther(c, `/interaction/${interaction.uid}`);
    // The next step answers this POST itself: one round trip less on every sign-in (docs/architecture.md).
    return nextStep(c, interaction, step.csrfToken, email, undefined);
  });

  app.post('/interaction/:uid/other-email', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    await checkedForm(c.req.raw, step.csrfToken);
    steps.identify(interaction.uid, '');
    return seeOther(c, `/interaction/${interaction.uid}`);
  });

  /**
   * The step after the email: none given yet → the email page; a member's email of an organization that enforces
   * SSO → its IdP (or, with a notice to say, the page explaining why); any other → the password page, which offers
   * the organization's SSO as well when the email's verified domain has an IdP connected (an address of someone the
   * organization has not provisioned yet, or of a Twilio user who is not its member, enforced or not).
   */
  async function nextStep(
    c: Context<InteractionEnv>,
    interaction: Interaction,
    csrfToken: string,
    email: string | undefined,
    notice: LoginNotice | undefined,
  ): Promise<Response> {
    const uid = interaction.uid;
    const client = await provider.Client.find(String(interaction.params.client_id));
    const base = { uid, csrfToken, clientName: client?.clientName ?? 'Twilio', notice };
    if (!email) return kit.htmlResponse(c, emailPage(base));
    // One look-up of the email's organization serves both the enforced-SSO check and the page's hint.
    const choice = sso.forEmail(email);
    const enforced = sso.enforcedFor(email, choice);
    if (enforced && !notice) {
      steps.identify(uid, email);
      return seeOther(c, `/interaction/${uid}/sso`);
    }
    if (enforced) {
      const organization = enforced.organization.name;
      return kit.htmlResponse(c, ssoRequiredPage({ uid, csrfToken, email, organization }));
    }
    // A product's reason for sending the user here (its password retired) is said for the email it hinted.
    const isProduct = client?.clientId === 'segment' || client?.clientId === 'sendgrid';
    const explanation = isProduct
      ? productNotice(interaction.params[LOGIN_NOTICE_PARAM], base.clientName, hintedEmail(interaction) ?? '')
      : undefined;
    const ssoOrganization = choice?.organization.name;
    return kit.htmlResponse(c, loginPage({ ...base, email, ssoOrganization, explanation }));
  }

  return app;
}

/**
 * The `login_hint` of the authorization request, as an email (normalised), if it is one the email step would take:
 * a hint with look-alike or invisible characters, or too long, is set aside, so the person types the email instead
 * of meeting a password page for an address that would only be refused.
 */
function hintedEmail(interaction: Interaction): string | undefined {
  const hint = interaction.params.login_hint;
  if (typeof hint !== 'string' || hint.length > MAX_EMAIL_LENGTH || emailCharacterProblem(hint)) return undefined;
  const email = normaliseEmail(hint);
  return email.includes('@') ? email : undefined;
}
