/** Cancelling the sign-in: back to the client with `access_denied`. */
import { Hono } from 'hono';
import { seeOther } from '../../responses';
import { checkedForm } from '../../security';
import type { InteractionEnv, InteractionKit } from './kit';

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
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
    return seeOther(c, returnTo);
  });

  return app;
}
