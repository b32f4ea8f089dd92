/** Background entry: builds the services on the real browser APIs for the configured world, and listens. */
import browser, { type Runtime } from 'webextension-polyfill';
import { EXTENSION_REDIRECT_PATH } from '../../contract/catalogue';
import { ISSUER, LOGIN_ORIGIN, PRODUCT_ORIGINS, useWorldPort } from '../shared/config';
import { loadWorldPort, WORLD_PORT_KEY } from '../shared/world-settings';
import { createAuth } from './auth';
import { createBroadcast } from './broadcast';
import { createIdbCache } from './cache';
import { createHandlers } from './handlers';
import { createLookupService } from './lookup';
import { createProductsService } from './products';
import { createRouter } from './router';
import { createSessionStore } from './session-store';

// Session storage is trusted-contexts-only by default; set it explicitly so a content script can never read the
// tokens, even if a default changes. Firefox has no setAccessLevel: its content scripts never see storage.session.
void chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);

// A plain wrapper: calling the native fetch as a method of another object throws "Illegal invocation".
const fetchFn: typeof fetch = (input, init) => fetch(input, init);

/** Everything that talks to one world: its IdP, its API, and the origins whose messages are trusted. */
function servicesFor(port: number) {
  useWorldPort(port);
  const auth = createAuth({
    issuer: ISSUER,
    // chromiumapp.org in Chromium, allizom.org in Firefox; the IdP registers both.
    redirectUri: chrome.identity.getRedirectURL(EXTENSION_REDIRECT_PATH),
    session: createSessionStore(chrome.storage.session),
    fetch: fetchFn,
    now: Date.now,
    // Without a window (interactive: false), Chrome resolves only when the IdP redirects straight back.
    launchWebAuthFlow: (url, interactive) => chrome.identity.launchWebAuthFlow({ url, interactive }),
  });
  const changed = createBroadcast(chrome.tabs, Object.values(PRODUCT_ORIGINS), chrome.runtime);
  const products = createProductsService({
    apiOrigin: ISSUER,
    auth,
    cache: createIdbCache(),
    fetch: fetchFn,
    now: Date.now,
    onChange: changed,
  });
  const lookup = createLookupService({ apiOrigin: LOGIN_ORIGIN, fetch: fetchFn, now: Date.now });
  const router = createRouter(createHandlers({ auth, products, lookup, changed }), {
    extensionId: chrome.runtime.id,
    // chrome-extension://<id> in Chromium; moz-extension://<random per-profile UUID> in Firefox.
    extensionOrigin: new URL(chrome.runtime.getURL('/')).origin,
    productOrigins: Object.values(PRODUCT_ORIGINS),
  });
  return { auth, products, router };
}

let services = loadWorldPort(chrome.storage.local).then(servicesFor);

// Another world chosen on the options page: the tokens and products belong to the old world's IdP, so they go.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !(WORLD_PORT_KEY in changes)) return;
  services = services.then(async (old) => {
    await old.auth.signOut().catch(() => undefined);
    await old.products.clear().catch(() => undefined);
    return servicesFor(await loadWorldPort(chrome.storage.local));
  });
});

// A browser restart empties storage.session, so the extension starts signed out: the last user's `me` and
// products go from IndexedDB at once, not when something next asks.
chrome.runtime.onStartup.addListener(() => {
  void services.then((current) => current.products.clearIfSignedOut()).catch(() => undefined);
});

// Registered at once (a woken service worker must find its listener); messages wait for the services.
// The polyfill lets the listener answer with a promise (the router's reply) instead of sendResponse + `return true`.
const onMessage: Runtime.OnMessageListenerAsync = async (message, sender) =>
  (await services).router.handle(message, sender);
browser.runtime.onMessage.addListener(onMessage);
