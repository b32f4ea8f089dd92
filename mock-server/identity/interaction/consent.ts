/**
 * No consent screen: every client is first-party. A signed-in user whose grant lacks something the client asked
 * for (e.g. prompt=consent) is granted it at once.
 */
import type { Context } from 'hono';
import type Provider from 'oidc-provider';
import { RequestError } from '../../errors';
import { seeOther } from '../../responses';
import type { Interaction, InteractionEnv } from './kit';

export async function grantFirstPartyConsent(provider: Provider, c: Context<InteractionEnv>, interaction: Interaction) {
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
