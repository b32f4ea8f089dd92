/**
 * Change of email for a product user who is not linked (a linked user's is the Twilio login's): verified through
 * the mailbox like the Console's (email-verification.ts); the change is made only when the link is opened and
 * confirmed on a page with the product's own navigation. The old address is told at each step.
 */
import { Hono } from 'hono';
import { validNewEmail } from '../../accounts/email-change';
import { ProductSettingsError, SettingsError } from '../../errors';
import { html, PRODUCT_PAGE_HEADERS, page } from '../../html';
import { sendMail, sendNotice } from '../../mailbox/mailbox';
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
    const { db, clock, emailChanges } = kit.deps;
    const requested = emailChanges.request(user.id, newEmail);
    if (requested === 'twilio_login') {
      // The same answer as for any address; the owner of the Twilio login learns someone tried.
      sendNotice(db, { to: newEmail, kind: 'product_email_refused', product: kit.product.name }, clock());
    } else {
      sendMail(
        db,
        {
          to: newEmail,
          kind: 'email_verification',
          subject: `Confirm your new ${kit.product.name} email`,
          body: `Open this link within 30 minutes to use ${newEmail} for your ${kit.product.name} login. If you did not ask for this, ignore this message.`,
          link: `${kit.origin}/settings/email/verify?token=${encodeURIComponent(requested.token)}`,
        },
        clock(),
      );
    }
    // Whichever way the request went, so the requester's own mailbox does not tell a Twilio login apart either.
    const product = kit.product.name;
    sendNotice(db, { to: user.email, kind: 'product_email_change_requested', product, newEmail }, clock());
    return seeOther(c, '/settings?done=email-sent');
  });

  app.get('/verify', (c) => {
    const current = kit.signedIn(c);
    // Signed out: back to this link after signing in, so the mailed link is not lost.
    if (!current) return kit.toSignIn(c, `${c.req.path}${new URL(c.req.url).search}`);
    const token = c.req.query('token') ?? '';
    kit.showRefusalsOn(c, { ...current, form: {} });
    kit.refuseIfLinked(current.user, 'email');
    const newEmail = kit.deps.emailChanges.check(token, current.user.id);
    const body = page({
      title: `Confirm your new email · ${kit.product.name}`,
      header: kit.nav(current.user, current.session),
      body: html`<div class="card"><h1>Confirm your new email</h1>
<p>Use <strong>${newEmail}</strong> for your ${kit.product.name} login from now on?</p>
<form method="post" action="/settings/email/verify">
<input type="hidden" name="csrf" value="${current.session.csrfToken}">
<input type="hidden" name="token" value="${token}">
<button type="submit">Use this email</button> <a href="/settings">Cancel</a>
</form></div>`,
    });
    return c.body(body, 200, PRODUCT_PAGE_HEADERS);
  });

  app.post('/verify', async (c) => {
    const current = await kit.checkedPost(c);
    if ('redirect' in current) return current.redirect;
    kit.showRefusalsOn(c, current);
    kit.refuseIfLinked(current.user, 'email');
    const { db, clock, emailChanges } = kit.deps;
    const newEmail = emailChanges.confirm(current.form.token ?? '', current.user.id);
    const product = kit.product.name;
    sendNotice(db, { to: current.user.email, kind: 'product_email_changed', product, newEmail }, clock());
    return seeOther(c, '/settings?done=email');
  });
  return app;
}
