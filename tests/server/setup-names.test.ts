/**
 * The name of a new Segment workspace or SendGrid account is shown to others (in the product, in the Console's audit
 * sentence): one line, at most 64 characters, nothing invisible that makes it read as another or turns the text
 * around it.
 */
import { describe, expect, it } from 'vitest';
import { newTwilioUser, openSetup } from './products';
import { decodeEntities } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;

const ONE_LINE = 'Use a name of at most 64 characters on one line.';
const HIDDEN = 'Use a name without invisible or text-direction characters.';

let people = 0;
async function createWith(product: 'segment' | 'sendgrid', name: string) {
  const { user, credentials } = await newTwilioUser(world, `namer${++people}@example.com`);
  const { browser, csrf } = await openSetup(world, product, credentials);
  const response = await browser.request(`${world.urls.login}/setup/${product}/create`, {
    form: { csrf, [product === 'segment' ? 'workspace' : 'account']: name },
  });
  const store = product === 'segment' ? segment : sendgrid;
  return { response, created: store.users.findByTwilioSub(user.id) !== undefined };
}

describe('names of new workspaces and accounts', () => {
  it.each([
    ['65 characters', 'x'.repeat(65), ONE_LINE],
    ['a line break', 'Two\nlines', ONE_LINE],
    ['a line separator', 'Two\u2028lines', ONE_LINE],
    ['a right-to-left override', "\u202Eecapskrow s'nileoC", HIDDEN],
    ['a directional isolate', 'Name\u2067 isolated', HIDDEN],
    ['a zero-width space', 'Ada\u200b Analytics', HIDDEN],
    ['a byte order mark inside', 'Ada\ufeffAnalytics', HIDDEN],
  ])('refuses a Segment workspace name with %s, creating nothing', async (_what, name, message) => {
    const { response, created } = await createWith('segment', name);
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain(message);
    expect(created).toBe(false);
  });

  it('refuses a SendGrid account name with a right-to-left override, creating nothing', async () => {
    const { response, created } = await createWith('sendgrid', 'Acme\u202E moc.evil');
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain(HIDDEN);
    expect(created).toBe(false);
  });

  it.each([
    ['a zero-width non-joiner (Persian)', 'کارگاه\u200cمن'],
    ['an emoji joined by zero-width joiners', 'Family \u{1F468}\u200d\u{1F469}\u200d\u{1F467} Co'],
    ['right-to-left letters', 'סדנה שלי'],
  ])('accepts a name with %s', async (_what, name) => {
    const { response, created } = await createWith('segment', name);
    expect(response.status).toBe(303);
    expect(created).toBe(true);
  });
});
