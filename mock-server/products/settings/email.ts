/** Change of email for a product user who is not linked (a linked user's is the Twilio login's). */
import { Hono } from 'hono';
import { validNewEmail } from '../../accounts/email-change';
import { ProductSettingsError, SettingsError } from '../../errors';
import { seeOther } from '../../responses';
import type { ProductSettingsEnv, ProductSettingsKit } from './kit';

/** The new email: the Console's email rule, its refusal shown in the email section. */
function productNewEmail(input: string, currentEmail: string): string {
  try {
    return validNewEmail(input, currentEmail);
  } catch (error) {
    if (error instanceof SettingsError && (error.code === 'invalid_email' || error.code === 'same_email')) {
      throw new ProductSettingsError('email', error.code, error.description);
    }
    throw error;
  }
}

export function emailRoutes(kit: ProductSettingsKit): Hono<ProductSettingsEnv> {
  const app = new Hono<ProductSettingsEnv>();
  app.post('/', async (c) => {
    const current = await kit.checkedPost(c);
    if ('redirect' in current) return current.redirect;
    const { user, form } = current;
    kit.showRefusalsOn(c, current);
    kit.refuseIfLinked(user, 'email');
    const newEmail = productNewEmail(form.new_email ?? '', user.email);
    await kit.checkCurrentPassword(c, user, 'email', form.current_password);
    const outcome = kit.spec.users.setEmail(user.id, newEmail);
    if (outcome === 'taken') {
      const description = `${newEmail} is already used by another ${kit.product.name} user. Use another email.`;
      throw new ProductSettingsError('email', 'email_taken', description);
    }
    if (outcome === 'twilio_user') {
      const description = `${newEmail} is the email of a Twilio login. Use another email.`;
      throw new ProductSettingsError('email', 'email_taken', description);
    }
    if (outcome === 'linked') kit.refuseIfLinked({ ...user, twilioSub: 'linked meanwhile' }, 'email');
    return seeOther(c, '/settings?done=email');
  });
  return app;
}
