/**
 * The security notices of a product's own login (a Segment or SendGrid user not linked to Twilio), as the Console
 * sends its own: the old address is told when an email change is asked for and when it is made, the address when
 * the password changes. Each names the product and the login's email.
 */
import { describe, expect, it } from 'vitest';
import { listMail } from '../../mock-server/mailbox/mailbox';
import { productSettings } from './product-settings';
import type { ProductSite } from './products';
import { mailbox } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const { post, freshProductUser, confirmProductLink } = productSettings(world);

type ProductUser = Awaited<ReturnType<typeof freshProductUser>>;
const askFor = (who: ProductUser, newEmail: string) =>
  post(who.browser, 'sendgrid', '/settings/email', { new_email: newEmail, current_password: who.credentials.password });

/** The messages to `to`, oldest first, as kind, subject and body. */
const mailTo = (to: string) =>
  listMail(world.db, { to })
    .reverse()
    .map(({ kind, subject, body }) => ({ kind, subject, body }));

const requested = (product: string, login: string, newEmail: string) => ({
  kind: 'product_email_change_requested',
  subject: `A change of your ${product} email was requested`,
  body: `Someone asked to change the email of your ${product} login ${login} to ${newEmail}. Nothing changes unless the change is confirmed from that address. If this was not you, change your ${product} password now.`,
});

describe('notices of a product login', () => {
  it('tell the old address that a change of email was asked for; the new address gets only the link', async () => {
    const mover = await freshProductUser('sendgrid', 'asks');
    const wanted = `asks-new-${Date.now()}@example.org`;
    expect((await askFor(mover, wanted)).response.status).toBe(303);
    expect(mailTo(mover.credentials.email)).toEqual([requested('SendGrid', mover.credentials.email, wanted)]);
    expect(mailTo(wanted).map((mail) => mail.kind)).toEqual(['email_verification']);
  });

  it("tell the old address the same when the new one is a Twilio login's (which gets no link)", async () => {
    const mover = await freshProductUser('sendgrid', 'asks-twilio');
    expect((await askFor(mover, ADA.email)).response.status).toBe(303);
    expect(mailTo(mover.credentials.email)).toEqual([requested('SendGrid', mover.credentials.email, ADA.email)]);
    expect((await mailbox(world, ADA.email)).links).toEqual([]);
  });

  it('tell the old address when the change is made, and nobody else', async () => {
    const mover = await freshProductUser('sendgrid', 'moves');
    const old = mover.credentials.email;
    const wanted = `moves-new-${Date.now()}@example.org`;
    await askFor(mover, wanted);
    const [link] = (await mailbox(world, wanted)).links;
    expect((await confirmProductLink(mover.browser, link!)).status).toBe(303);
    expect(mailTo(old)).toEqual([
      requested('SendGrid', old, wanted),
      {
        kind: 'product_email_changed',
        subject: 'Your SendGrid email was changed',
        body: `The email of your SendGrid login ${old} was changed to ${wanted}: sign in to SendGrid with it from now on. If this was not you, contact SendGrid support now.`,
      },
    ]);
    expect(mailTo(wanted).map((mail) => mail.kind)).toEqual(['email_verification']);
  });

  it.each([
    ['segment', 'Segment'],
    ['sendgrid', 'SendGrid'],
  ] as const)('tell the address of a %s login that its password was changed', async (product: ProductSite, name) => {
    const who = await freshProductUser(product, `password-${product}`);
    const changed = await post(who.browser, product, '/settings/password', {
      current_password: who.credentials.password,
      new_password: 'a-new-product-pass-2026',
      confirm_password: 'a-new-product-pass-2026',
    });
    expect(changed.response.status).toBe(303);
    expect(mailTo(who.credentials.email)).toEqual([
      {
        kind: 'product_password_changed',
        subject: `Your ${name} password was changed`,
        body: `The password of your ${name} login ${who.credentials.email} was changed, and you were signed out of ${name} everywhere else. If this was not you, contact ${name} support now.`,
      },
    ]);
  });

  it('are not sent for a refused change (a wrong current password)', async () => {
    const who = await freshProductUser('sendgrid', 'refused');
    const wrong = 'not-the-password-2026';
    const password = await post(who.browser, 'sendgrid', '/settings/password', {
      current_password: wrong,
      new_password: 'a-new-product-pass-2026',
      confirm_password: 'a-new-product-pass-2026',
    });
    expect(password.response.status).toBe(401);
    const email = await post(who.browser, 'sendgrid', '/settings/email', {
      new_email: `refused-new-${Date.now()}@example.org`,
      current_password: wrong,
    });
    expect(email.response.status).toBe(401);
    expect(mailTo(who.credentials.email)).toEqual([]);
  });
});
