import { describe, expect, it } from 'vitest';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { BEN, land, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { worldForFile } from './world';

const world = await worldForFile();
const ben = world.users.findByEmail(BEN.email)!;
await world.setups.linkSegmentUser(ben, SEGMENT_PASSWORD);

const EXPLANATION =
  'Your Segment user ben@example.com now signs in with your Twilio login, so its Segment password no longer works. Enter your Twilio password instead.';

describe("a retired Segment password on Segment's login", () => {
  it('leads Ben to the Twilio login, pre-filled, with a line saying his Segment user now signs in with it', async () => {
    const { browser, response } = await productPasswordLogin(world, 'segment', {
      email: BEN.email,
      password: SEGMENT_PASSWORD,
    });
    expect(response.status).toBe(303);
    const login = await land(browser, response.headers.get('location'), world.urls.segment);
    expect(login.url.origin).toBe(world.urls.login);
    expect(login.status).toBe(200);
    expect(login.html).toContain(`<p class="notice" role="status" data-testid="product-notice">${EXPLANATION}</p>`);
    expect(login.html).toContain('value="ben@example.com"');
  });

  it('says nothing of the kind on the email-first path (no password was typed)', async () => {
    const { browser, response } = await productPasswordLogin(world, 'segment', { email: BEN.email, password: '' });
    expect(response.headers.get('location')).toBe('/login/twilio?login_hint=ben%40example.com&next=%2F');
    const login = await land(browser, response.headers.get('location'), world.urls.segment);
    expect(login.html).not.toContain('data-testid="product-notice"');
  });

  it('shows only its own sentence: an unknown notice value, or one without an email, shows nothing', async () => {
    for (const path of [
      '/login/twilio?login_hint=ben%40example.com&notice=%3Cb%3Ehi',
      '/login/twilio?notice=password_retired',
    ]) {
      const browser = new HeadlessBrowser();
      const login = await land(browser, path, world.urls.segment);
      expect(login.status).toBe(200);
      expect(login.html).not.toContain('data-testid="product-notice"');
      expect(login.html).not.toContain('<b>hi');
    }
  });
});
