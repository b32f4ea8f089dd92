/**
 * Change of email: the new address gets a verification link (30 minutes); opening it and confirming makes the
 * change, for the Console, Segment and SendGrid at once. The old address is told at each step.
 */
import { Hono } from 'hono';
import { validNewEmail } from '../../accounts/email-change';
import { sendMail, sendNotice } from '../../mailbox/mailbox';
import { seeOther } from '../../responses';
import type { SettingsEnv, SettingsKit } from './kit';
import { confirmEmailPage, emailPage, linkProblemPage } from './pages';

export function emailRoutes(kit: SettingsKit): Hono<SettingsEnv> {
  const { db, clock, emailChanges, consoleOrigin } = kit;
  const app = new Hono<SettingsEnv>();

  app.get('/', async (c) => kit.render(c, emailPage(kit.view(c))));

  app.post('/', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) => emailPage(kit.view(c, error), form.new_email ?? ''));
    kit.refuseIfManaged(c, 'email');
    const newEmail = validNewEmail(form.new_email ?? '', user.email);
    kit.refuseOrganizationAddress(newEmail);
    await kit.reauthenticate(c, form.current_password);
    const { token } = emailChanges.request(user.id, newEmail);
    const link = `${consoleOrigin}/settings/email/verify?token=${encodeURIComponent(token)}`;
    sendMail(
      db,
      {
        to: newEmail,
        kind: 'email_verification',
        subject: 'Confirm your new Twilio email',
        body: `Open this link within 30 minutes to use ${newEmail} for your Twilio login (Console, Segment and SendGrid). If you did not ask for this, ignore this message.`,
        link,
      },
      clock(),
    );
    sendNotice(db, { to: user.email, kind: 'email_change_requested', newEmail }, clock());
    return seeOther(c, '/settings?done=email-sent');
  });

  app.get('/verify', async (c) => {
    const token = c.req.query('token') ?? '';
    kit.showRefusalsOn(c, (error) => linkProblemPage(kit.view(c, error)));
    const pending = emailChanges.check(token, c.var.current.user.id);
    return kit.render(c, confirmEmailPage(kit.view(c), token, pending.newEmail));
  });

  app.post('/verify', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) => linkProblemPage(kit.view(c, error)));
    // Asked before the user joined an organization, or before the address's domain was verified: no longer theirs.
    kit.refuseIfManaged(c, 'email');
    kit.refuseOrganizationAddress(emailChanges.check(form.token ?? '', user.id).newEmail);
    const { oldEmail, newEmail } = emailChanges.confirm(form.token ?? '', user.id);
    sendNotice(db, { to: oldEmail, kind: 'email_changed', newEmail }, clock());
    sendNotice(db, { to: newEmail, kind: 'email_changed', newEmail }, clock());
    return seeOther(c, '/settings?done=email-changed');
  });

  return app;
}
