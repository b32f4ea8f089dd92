/** A password change cancels the user's pending email change: its mailed link no longer changes the email. */
import { describe, expect, it } from 'vitest';
import { consoleBrowser, decodeEntities, freshUser, mailbox, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const NEW_PASSWORD = 'a-much-longer-pass-2026';

describe('a password change and a pending email change', () => {
  it('cancels the email change asked before it: the mailed link says it is no longer valid', async () => {
    const { user, credentials } = await freshUser(world, 'recovering');
    // Whoever got in asks for their own address; the owner then takes the account back with a new password.
    const intruder = await consoleBrowser(world, credentials);
    const owner = await consoleBrowser(world, credentials);
    const theirs = `taker-${Date.now()}@example.org`;
    const asked = await submit(world, intruder, '/settings/email', { new_email: theirs, current_password: PASSWORD });
    expect(asked.response.status).toBe(303);
    const changed = await submit(world, owner, '/settings/password', {
      current_password: PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(changed.response.status).toBe(303);
    expect(changed.response.headers.get('location')).toBe('/settings?done=password-changed');

    // The link, opened by the owner (signed in, e.g. tricked into it): refused, on the page and on the form.
    const [link] = (await mailbox(world, theirs)).links;
    const page = await owner.request(link!);
    expect(page.status).toBe(400);
    const html = decodeEntities(await page.text());
    expect(html).toContain(
      'This verification link is no longer valid: the password of this Twilio login was changed after the change of email was asked for. Request the change again if you still want it.',
    );
    expect(html).not.toContain('name="token"');
    const token = new URL(link!).searchParams.get('token')!;
    const posted = await submit(world, owner, '/settings/email/verify', { token });
    expect(posted.response.status).toBe(400);
    expect(posted.html).toContain('This verification link is no longer valid');
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);

    // A change asked for after the new password works as usual.
    const wanted = `after-${Date.now()}@example.org`;
    const again = await submit(world, owner, '/settings/email', { new_email: wanted, current_password: NEW_PASSWORD });
    expect(again.response.status).toBe(303);
    const [fresh] = (await mailbox(world, wanted)).links;
    expect((await owner.request(fresh!)).status).toBe(200);
    const { response: confirmed } = await submit(world, owner, '/settings/email/verify', {
      token: new URL(fresh!).searchParams.get('token')!,
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/settings?done=email-changed');
    expect(world.users.findById(user.id)!.email).toBe(wanted);
  });
});
