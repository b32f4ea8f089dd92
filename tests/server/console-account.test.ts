import { describe, expect, it } from 'vitest';
import { completeLogin, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { newTwilioUser } from './products';
import { ADA, DAN, worldForFile } from './world';

const world = await worldForFile();

async function accountPage(credentials: { email: string; password: string }): Promise<string> {
  const browser = new HeadlessBrowser();
  const callbackUrl = await completeLogin(
    browser,
    `${world.urls.console}/`,
    `${world.urls.console}/callback`,
    credentials,
  );
  await browser.request(callbackUrl);
  const response = await browser.request(`${world.urls.console}/account`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The cells of a product's row, as text. */
function row(page: string, product: 'segment' | 'sendgrid'): { status: string; cells: string[] } {
  const match = new RegExp(`<tr data-testid="setup-${product}" data-status="([a-z_]+)">([\\s\\S]*?)</tr>`).exec(page);
  if (!match) throw new Error(`no row for ${product}`);
  const cells = [...match[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
    cell[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return { status: match[1]!, cells };
}

describe("the Console's Account page", () => {
  it("shows Ada's seeded Segment link as linked and SendGrid as not set up", async () => {
    const page = await accountPage(ADA);
    expect(row(page, 'segment')).toEqual({ status: 'linked', cells: ['Segment', 'Linked', '—', 'Open Segment'] });
    expect(row(page, 'sendgrid')).toEqual({
      status: 'not_set_up',
      cells: ['SendGrid', 'Not set up', '—', 'Set up SendGrid'],
    });
  });

  it('shows the limited release for Dan, then his waiting request', async () => {
    const before = await accountPage(DAN);
    expect(row(before, 'segment')).toEqual({
      status: 'unavailable',
      cells: ['Segment', 'Not available yet (limited release)', '—', 'Request access'],
    });
    const { user, credentials } = await newTwilioUser(world, 'ola@account.example', { eligible: false });
    world.accessRequests.request(user);
    expect(row(await accountPage(credentials), 'sendgrid')).toEqual({
      status: 'access_requested',
      cells: ['SendGrid', 'Access requested', '—', 'Support will email you when it is decided'],
    });
  });

  it("shows a set-up from the audit trail with its time in the Console's timezone, zone named", async () => {
    const { user, credentials } = await newTwilioUser(world, 'pia@account.example');
    world.setups.createSendGridUser(user, 'Pia Mail');
    world.users.setTimezone(user.id, 'Asia/Tokyo');
    const { cells } = row(await accountPage(credentials), 'sendgrid');
    expect(cells[1]).toBe('Created new user');
    expect(cells[2]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \(Asia\/Tokyo\)$/);
  });
});
