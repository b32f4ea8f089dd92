/** Cancelling the sign-in: back to the client with `access_denied` and `CANCELLED_DESCRIPTION`. */
import { Hono } from 'hono';
import { seeOther } from '../../responses';
import { checkedForm } from '../../security';
import type { InteractionEnv, InteractionKit } from './kit';

/**
 * What tells the world's relying parties that the person pressed Cancel (they say "Sign-in cancelled", not an
 * error); other `access_denied` answers, such as oidc-provider's own, stay refusals.
 */
export const CANCELLED_DESCRIPTION = 'The user cancelled the sign-in.';

export function cancelRoutes(kit: InteractionKit): Hono<InteractionEnv> {
  const { provider, steps } = kit;
  const app = new Hono<InteractionEnv>();

  app.post('/interaction/:uid/abort', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    await checkedForm(c.req.raw, step.csrfToken);
    steps.finish(interaction.uid);
    const returnTo = await provider.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { error: 'access_denied', error_description: CANCELLED_DESCRIPTION },
      { mergeWithLastSubmission: false },
    );
    return seeOther(c, returnTo);
  });

  return app;
}
