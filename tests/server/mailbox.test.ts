import { describe, expect, it } from 'vitest';
import { listMail, sendNotice } from '../../mock-server/mailbox/mailbox';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { openSetup, SEGMENT_PASSWORD } from './products';
import { worldForFile } from './world';

const world = await worldForFile();
const BEN = { email: 'ben@example.com', password: 'demo-pass-2026' };

describe('the dev mailbox', () => {
  it('lists the messages sent, newest first, filtered per recipient, with their text escaped', async () => {
    sendNotice(world.db, { to: 'Zed@Example.org', kind: 'two_factor_on' }, world.clock());
    sendNotice(world.db, { to: 'zed@example.org', kind: 'product_linked', product: '<SendGrid>' }, world.clock());
    sendNotice(world.db, { to: 'someone@example.org', kind: 'password_changed' }, world.clock());

    const response = await new HeadlessBrowser().request(`${world.urls.login}/dev/mailbox?to=zed@example.org`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('2 messages to zed@example.org');
    expect(html.indexOf('&lt;SendGrid&gt; now uses your Twilio login')).toBeLessThan(
      html.indexOf('Two-factor authentication is on'),
    );
    expect(html).not.toContain('Your Twilio password was changed');
    expect(html).not.toContain('<SendGrid>');

    const all = await (await new HeadlessBrowser().request(`${world.urls.login}/dev/mailbox`)).text();
    expect(all).toContain('Your Twilio password was changed');
  });

  it('receives a security notice when Ben links his Segment user', async () => {
    const { browser, csrf } = await openSetup(world, 'segment', BEN);
    const linked = await browser.request(`${world.urls.login}/setup/segment/link`, {
      form: { csrf, password: SEGMENT_PASSWORD },
    });
    expect(linked.status).toBe(303);
    expect(listMail(world.db, { to: BEN.email }).map((mail) => mail.subject)).toContain(
      'Segment now uses your Twilio login',
    );
  });
});
