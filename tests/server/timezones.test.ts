import { describe, expect, it } from 'vitest';
import { describeDevice } from '../../mock-server/products/device';
import { formatTime } from '../../mock-server/time-format';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { continueWithTwilio, newTwilioUser } from './products';
import { consoleBrowser, openPage } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { segment } = world.products;

const CHROMIUM_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** The first session history row of a Segment settings page: its time text and its browser. */
function firstHistoryRow(html: string) {
  const match =
    /data-testid="session-history">[\s\S]*?<tbody><tr><td><time datetime="([^"]+)">([^<]+)<\/time><\/td><td>[^<]+<\/td><td>([^<]+)<\/td>/.exec(
      html,
    );
  if (!match) throw new Error('no session history row');
  return { instant: match[1]!, shown: match[2]!, device: match[3]! };
}

describe('the timezone a user chose for Segment', () => {
  it('is the zone of the session history and of invitations, named, and changing it changes what is shown', async () => {
    const { user, credentials } = await newTwilioUser(world, 'tara@zones.example');
    world.setups.createSegmentUser(user, 'Tara Co');
    const browser = new HeadlessBrowser();
    const { response } = await continueWithTwilio(world, 'segment', credentials, { browser });
    const home = new URL(response.headers.get('location')!, world.urls.segment);
    const segmentUser = segment.users.findByTwilioSub(user.id)!;
    const workspaceId = segment.workspacesOf(segmentUser.id)[0]!.id;
    segment.invite(workspaceId, 'guest@zones.example', 'Member', segmentUser.id);

    const before = await (await browser.request(`${world.urls.segment}/settings`)).text();
    const utc = firstHistoryRow(before);
    expect(utc.shown).toBe(formatTime(Date.parse(utc.instant), 'UTC'));
    expect(utc.shown).toMatch(/\(UTC\)$/);
    expect(before).toContain('Times in UTC, your Segment timezone.');

    const saved = await browser.request(`${world.urls.segment}/settings/timezone`, {
      form: { csrf: csrfTokenIn(before), timezone: 'America/New_York' },
    });
    expect(saved.status).toBe(303);
    const after = await (await browser.request(`${world.urls.segment}/settings`)).text();
    const newYork = firstHistoryRow(after);
    expect(newYork.instant).toBe(utc.instant);
    expect(newYork.shown).toBe(formatTime(Date.parse(utc.instant), 'America/New_York'));
    expect(newYork.shown).toMatch(/\(America\/New_York\)$/);
    expect(newYork.shown).not.toBe(utc.shown);
    expect(after).toContain('Times in America/New_York, your Segment timezone.');

    const workspace = await (await browser.follow(home)).response!.text();
    expect(workspace).toMatch(
      /guest@zones\.example · Member · expires <time datetime="[^"]+">[^<]+\(America\/New_York\)<\/time>/,
    );
  });

  it('is saved as the zone is spelled (europe/paris is Europe/Paris), in Segment and in the Console', async () => {
    const { user, credentials } = await newTwilioUser(world, 'vic@zones.example');
    world.setups.createSegmentUser(user, 'Vic Co');
    const browser = new HeadlessBrowser();
    await continueWithTwilio(world, 'segment', credentials, { browser });
    const page = await (await browser.request(`${world.urls.segment}/settings`)).text();
    const saved = await browser.request(`${world.urls.segment}/settings/timezone`, {
      form: { csrf: csrfTokenIn(page), timezone: 'europe/paris' },
    });
    expect(saved.status).toBe(303);
    expect(segment.users.findByTwilioSub(user.id)!.timezone).toBe('Europe/Paris');

    const console = await consoleBrowser(world, credentials);
    const { csrf } = await openPage(world, console, '/settings');
    const consoleSaved = await console.request(`${world.urls.console}/settings/timezone`, {
      form: { csrf, timezone: 'america/new_york' },
    });
    expect(consoleSaved.status).toBe(303);
    expect(world.users.findById(user.id)!.timezone).toBe('America/New_York');
  });

  it('names the device of each login instead of showing the raw user agent', async () => {
    const { user, credentials } = await newTwilioUser(world, 'uma@zones.example');
    world.setups.createSegmentUser(user, 'Uma Co');
    const browser = new HeadlessBrowser();
    const headers = {
      'user-agent': CHROMIUM_UA,
      'sec-ch-ua': '"Chromium";v="156", "Not-A.Brand";v="24"',
      'sec-ch-ua-platform': '"Linux"',
    };
    const signIn = await browser.request(`${world.urls.segment}/login/twilio`);
    const { url } = await browser.follow(new URL(signIn.headers.get('location')!), {
      stopAt: (next) => next.pathname.startsWith('/interaction/'),
    });
    const login = await browser.request(url);
    const done = await browser.request(new URL(`${url.pathname}/login`, url), {
      form: { csrf: csrfTokenIn(await login.text()), ...credentials },
    });
    const callback = await browser.follow(new URL(done.headers.get('location')!, url), {
      stopAt: (next) => next.pathname === '/callback',
    });
    expect((await browser.request(callback.url, { headers })).status).toBe(303);
    const settings = await (await browser.request(`${world.urls.segment}/settings`)).text();
    expect(firstHistoryRow(settings).device).toBe('Chromium on Linux');
    expect(settings).not.toContain('AppleWebKit');
  });
});

describe('describeDevice', () => {
  it('prefers client hints, skips their GREASE brand, and falls back to the user agent', () => {
    expect(
      describeDevice({
        userAgent: CHROMIUM_UA,
        brands: '"Chromium";v="156", "Not-A.Brand";v="24"',
        platform: '"Linux"',
      }),
    ).toBe('Chromium on Linux');
    expect(
      describeDevice({
        userAgent: CHROMIUM_UA,
        brands: '"Google Chrome";v="156", "Chromium";v="156", "Not=A?Brand";v="24"',
        platform: '"macOS"',
      }),
    ).toBe('Google Chrome on macOS');
    expect(
      describeDevice({
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
        brands: undefined,
        platform: undefined,
      }),
    ).toBe('Firefox on Linux');
    expect(describeDevice({ userAgent: 'curl/8.0', brands: undefined, platform: undefined })).toBe('Unknown browser');
    expect(describeDevice({ userAgent: undefined, brands: '"<script>";v="1"', platform: '"Linux"' })).toBe(
      'script on Linux',
    );
  });
});
