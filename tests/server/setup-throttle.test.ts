import { describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY } from '../../mock-server/accounts/login-throttle';
import { BEN, land, openSetup, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { worldForFile } from './world';

const world = await worldForFile();

describe('guessing a Segment password on the set-up page', () => {
  it('is throttled like a login: 429 with Retry-After after repeated failures, then the real password links', async () => {
    const { browser, csrf } = await openSetup(world, 'segment', BEN);
    const link = (password: string) =>
      browser.request(`${world.urls.login}/setup/segment/link`, { form: { csrf, password } });

    for (let attempt = 0; attempt < ACCOUNT_POLICY.freeFailures; attempt += 1) {
      const refused = await link(`wrong-${attempt}`);
      expect(refused.status).toBe(401);
      expect(await refused.text()).toContain('That is not the password of the Segment user ben@example.com.');
    }
    const throttled = await link(SEGMENT_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await throttled.text()).toContain('Too many attempts');
    // The same Segment user's own login form is throttled too: one account, one budget.
    const { response: login } = await productPasswordLogin(world, 'segment', {
      email: BEN.email,
      password: SEGMENT_PASSWORD,
    });
    expect(login.status).toBe(429);
    expect(world.products.segment.users.findByEmail(BEN.email)!.twilioSub).toBeUndefined();

    world.advance(Number(throttled.headers.get('retry-after')) * 1000 + 1);
    const linked = await link(SEGMENT_PASSWORD);
    expect(linked.status).toBe(303);
    const home = await land(browser, linked.headers.get('location'), world.urls.login);
    expect(home.html).toContain('Ben Co');
  });
});
