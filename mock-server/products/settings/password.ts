/** Change of password for a product user who is not linked; every other session of theirs ends, and its email is told. */
import { Hono } from 'hono';
import { hashPassword, newPasswordProblem } from '../../accounts/passwords';
import { ProductSettingsError } from '../../errors';
import { sendNotice } from '../../mailbox/mailbox';
import { seeOther } from '../../responses';
import type { ProductSettingsEnv, ProductSettingsKit } from './kit';

export function passwordRoutes(kit: ProductSettingsKit): Hono<ProductSettingsEnv> {
  const app = new Hono<ProductSettingsEnv>();
  app.post('/', async (c) => {
    const current = await kit.checkedPost(c);
    if ('redirect' in current) return current.redirect;
    const { user, session, form } = current;
    kit.showRefusalsOn(c, current);
    kit.refuseIfLinked(user, 'password');
    const next = form.new_password ?? '';
    const weak = newPasswordProblem(next);
    if (weak) throw new ProductSettingsError('password', 'weak_password', weak);
    if (next !== form.confirm_password) {
      const description = 'The new password and its confirmation are different.';
      throw new ProductSettingsError('password', 'passwords_differ', description);
    }
    await kit.checkCurrentPassword(c, user, 'password', form.current_password);
    if (!kit.spec.users.setPassword(user.id, await hashPassword(next))) {
      kit.refuseIfLinked({ ...user, twilioSub: 'linked meanwhile' }, 'password');
    }
    kit.sessions.endOtherSessions(user.id, session);
    const { db, clock } = kit.deps;
    sendNotice(db, { to: user.email, kind: 'product_password_changed', product: kit.product.name }, clock());
    return seeOther(c, '/settings?done=password');
  });
  return app;
}
