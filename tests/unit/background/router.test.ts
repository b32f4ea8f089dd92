// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, FIREFOX_ADDON_ID } from '../../../contract/catalogue';
import { createHandlers } from '../../../src/background/handlers';
import { createLookupService } from '../../../src/background/lookup';
import { authorise, createRouter, type Sender, type TrustContext } from '../../../src/background/router';
import { ISSUER, PRODUCT_ORIGINS } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { ADA_PRODUCTS, createFakeIdp } from '../support/idp';

const context: TrustContext = {
  extensionId: EXTENSION_ID,
  extensionOrigin: `chrome-extension://${EXTENSION_ID}`,
  productOrigins: Object.values(PRODUCT_ORIGINS),
};

const POPUP: Sender = {
  id: EXTENSION_ID,
  origin: `chrome-extension://${EXTENSION_ID}`,
  url: `chrome-extension://${EXTENSION_ID}/src/popup/index.html`,
};
const CONSOLE_PAGE: Sender = {
  id: EXTENSION_ID,
  origin: PRODUCT_ORIGINS.console,
  url: `${PRODUCT_ORIGINS.console}/home`,
  tab: { id: 7 },
};
const OTHER_PAGE: Sender = {
  id: EXTENSION_ID,
  origin: 'http://evil.localhost:8787',
  url: 'http://evil.localhost:8787/',
  tab: { id: 8 },
};

describe('authorise', () => {
  it('lets the popup send a privileged message', () => {
    const result = authorise({ type: 'signIn', data: {} }, POPUP, context);
    expect(result).toEqual({
      ok: true,
      message: { type: 'signIn', data: {} },
      kind: 'extension',
      from: { kind: 'extension' },
    });
  });

  it("lets a product page's content script read the switcher state", () => {
    const result = authorise({ type: 'getSwitcherState', data: {} }, CONSOLE_PAGE, context);
    expect(result).toEqual({
      ok: true,
      message: { type: 'getSwitcherState', data: {} },
      kind: 'content',
      from: { kind: 'content', product: 'console', tabId: 7 },
    });
  });

  it('refuses a privileged message from a content script with privileged_message', () => {
    for (const type of ['getState', 'signIn', 'signOut', 'refreshProducts'] as const) {
      const result = authorise({ type, data: {} }, CONSOLE_PAGE, context);
      expect(result.ok ? undefined : result.error.code).toBe('privileged_message');
    }
  });

  it('refuses a content script on a non-product origin with untrusted_sender', () => {
    const result = authorise({ type: 'getSwitcherState', data: {} }, OTHER_PAGE, context);
    expect(result.ok ? undefined : result.error.code).toBe('untrusted_sender');
  });

  it('refuses a product host on another port with untrusted_sender', () => {
    const sender = { ...CONSOLE_PAGE, origin: 'http://console.twilio.localhost:9999' };
    const result = authorise({ type: 'getSwitcherState', data: {} }, sender, context);
    expect(result.ok ? undefined : result.error.code).toBe('untrusted_sender');
  });

  it('refuses another extension with untrusted_sender', () => {
    const result = authorise(
      { type: 'getState', data: {} },
      { ...POPUP, id: 'abcdefghijklmnopabcdefghijklmnop' },
      context,
    );
    expect(result.ok ? undefined : result.error.code).toBe('untrusted_sender');
  });

  it("trusts the browser's sender.origin over a product URL in sender.url", () => {
    const sender = { ...OTHER_PAGE, url: `${PRODUCT_ORIGINS.console}/home` };
    const result = authorise({ type: 'getSwitcherState', data: {} }, sender, context);
    expect(result.ok ? undefined : result.error.code).toBe('untrusted_sender');
  });

  it('falls back to the origin of sender.url when sender.origin is missing', () => {
    const { origin: _, ...sender } = CONSOLE_PAGE;
    expect(authorise({ type: 'getSwitcherState', data: {} }, sender, context).ok).toBe(true);
  });

  it('refuses malformed messages with invalid_message', () => {
    const malformed = [
      undefined,
      'getState',
      { type: 'getState' },
      { type: 'stealTokens', data: {} },
      { type: 'getState', data: { extra: 1 } },
      { type: 'refreshProducts', data: { force: 'yes' } },
      { type: 'getState', data: {}, tokens: true },
    ];
    for (const message of malformed) {
      const result = authorise(message, POPUP, context);
      expect(result.ok ? undefined : result.error.code).toBe('invalid_message');
    }
  });
});

// What Firefox 153 gives (seen in the Firefox e2e run): the gecko id as sender.id, the extension page's
// moz-extension://<per-profile UUID> origin, and for a content script its page's origin, as Chromium does.
describe('authorise in Firefox', () => {
  const uuidOrigin = 'moz-extension://3c7e0f52-9b1d-4a66-8d2e-5f4b7a1c9e08';
  const firefox: TrustContext = { ...context, extensionId: FIREFOX_ADDON_ID, extensionOrigin: uuidOrigin };
  const popup: Sender = {
    id: FIREFOX_ADDON_ID,
    origin: uuidOrigin,
    url: `${uuidOrigin}/src/popup/index.html`,
    tab: { id: 2 },
  };
  const consolePage: Sender = { ...CONSOLE_PAGE, id: FIREFOX_ADDON_ID };

  it("lets the popup on the extension's own moz-extension origin send a privileged message", () => {
    expect(authorise({ type: 'signIn', data: {} }, popup, firefox)).toMatchObject({ ok: true, kind: 'extension' });
  });

  it("lets a product page's content script read the switcher state", () => {
    expect(authorise({ type: 'getSwitcherState', data: {} }, consolePage, firefox)).toMatchObject({
      ok: true,
      from: { kind: 'content', product: 'console', tabId: 7 },
    });
  });

  it("refuses another add-on's moz-extension origin, a chrome-extension origin and another id", () => {
    const senders: Sender[] = [
      { ...popup, origin: 'moz-extension://00000000-0000-4000-8000-000000000000' },
      { ...popup, origin: `chrome-extension://${EXTENSION_ID}` },
      { ...popup, id: 'other-addon@example.com' },
    ];
    for (const sender of senders) {
      const result = authorise({ type: 'getState', data: {} }, sender, firefox);
      expect(result.ok ? undefined : result.error.code).toBe('untrusted_sender');
    }
  });

  it('refuses a privileged message from a content script with privileged_message', () => {
    const result = authorise({ type: 'signIn', data: {} }, consolePage, firefox);
    expect(result.ok ? undefined : result.error.code).toBe('privileged_message');
  });
});

async function signedInBackground() {
  const idp = await createFakeIdp();
  const { area, auth, products } = backgroundOver(idp);
  const lookup = createLookupService({ apiOrigin: ISSUER, fetch: idp.fetch, now: () => idp.now.value });
  const router = createRouter(createHandlers({ auth, products, lookup }), context);
  const signedIn = await router.handle({ type: 'signIn', data: {} }, POPUP);
  return { idp, area, router, signedIn };
}

describe('router', () => {
  it('signs in for the popup and answers with the products', async () => {
    const { signedIn } = await signedInBackground();
    expect(signedIn).toMatchObject({
      ok: true,
      data: { status: 'signed_in', me: { email: 'ada@example.com' } },
    });
  });

  it('answers a rejected message with its code and leaves tokens and network untouched', async () => {
    const { idp, area, router } = await signedInBackground();
    const tokensBefore = structuredClone(area.data.get('tokens'));
    const requestsBefore = idp.requests.length;

    const replies = [
      await router.handle({ type: 'signOut', data: {} }, CONSOLE_PAGE),
      await router.handle({ type: 'getSwitcherState', data: {} }, OTHER_PAGE),
      await router.handle({ type: 'signOut', data: { now: true } }, POPUP),
    ];

    expect(replies.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'privileged_message',
      'untrusted_sender',
      'invalid_message',
    ]);
    expect(area.data.get('tokens')).toEqual(tokensBefore);
    expect(idp.requests.length).toBe(requestsBefore);
  });

  it("gives a content script only the products' public slice", async () => {
    const { router } = await signedInBackground();
    const reply = await router.handle({ type: 'getSwitcherState', data: {} }, CONSOLE_PAGE);
    expect(reply).toEqual({
      ok: true,
      data: {
        status: 'signed_in',
        // The API's products, as the page's switcher needs them (no email, no tokens).
        products: ADA_PRODUCTS,
      },
    });
    expect(JSON.stringify(reply)).not.toContain('ada@example.com');
  });

  it('signs out for the popup: tokens gone, state signed out', async () => {
    const { area, router } = await signedInBackground();
    const reply = await router.handle({ type: 'signOut', data: {} }, POPUP);
    expect(reply).toEqual({ ok: true, data: { status: 'signed_out' } });
    expect(area.data.has('tokens')).toBe(false);
    expect(await router.handle({ type: 'getSwitcherState', data: {} }, CONSOLE_PAGE)).toEqual({
      ok: true,
      data: { status: 'signed_out' },
    });
  });
});
