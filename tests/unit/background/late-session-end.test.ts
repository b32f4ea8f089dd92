// @vitest-environment node
/**
 * A 401 answered to tokens that are no longer the stored ones (a sign-out cleared them, a refresh or a sign-in
 * replaced them meanwhile) records no session end and clears nothing: the popup must not say the person was
 * signed out of Twilio when they signed out themselves.
 */
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../../contract/api';
import { SWITCHER_CONFIRMS_AFTER_MS } from '../../../src/background/products';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { door } from '../support/door';
import { createFakeIdp } from '../support/idp';

const SIGN_OUT_URL = `${ISSUER}${API_PATHS.signOut}`;
const PRODUCTS_URL = `${ISSUER}${API_PATHS.products}`;

/** Lets every pending promise chain (the switcher's confirmation behind its answer) run to its end. */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
};

/**
 * Signed in with the products cached. Once the person signs out (of Twilio, or of the extension, which revokes the
 * tokens) the API refuses the old access token with `session_ended` and the IdP refuses the old refresh token.
 * `holdNextPoll` keeps the next products request at a door until the test opens it.
 */
async function signedIn() {
  let tokensDead = false;
  const idp = await createFakeIdp({ apiStatus: () => (tokensDead ? 401 : 200), sessionEnded: 'signed_out' });
  let held: ReturnType<typeof door> | undefined;
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url === SIGN_OUT_URL) {
      tokensDead = true;
      return new Response(null, { status: 204 });
    }
    if (url === `${ISSUER}/token/revocation`) tokensDead = true;
    if (url === PRODUCTS_URL && held) {
      const waiting = held;
      held = undefined;
      await waiting.pass();
    }
    if (tokensDead && url === `${ISSUER}/token` && String(init?.body).includes('grant_type=refresh_token')) {
      return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
    }
    return idp.fetch(input, init);
  };
  const background = backgroundOver({ ...idp, fetch: fetchFn });
  await background.auth.signIn();
  await background.products.getState();
  function holdNextPoll() {
    held = door();
    return held;
  }
  return { idp, ...background, holdNextPoll };
}

describe('a switcher poll whose 401 arrives after the person signed out', () => {
  it('records no session end for "Sign out everywhere": the next popup says nothing about Twilio', async () => {
    const { idp, area, products, holdNextPoll } = await signedIn();
    const poll = holdNextPoll();
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    // A product tab polls; the products request is on its way when the person signs out everywhere.
    expect((await products.getSwitcherState('segment')).status).toBe('signed_in');
    await poll.reached;
    await products.signOutEverywhere();
    poll.open(); // …and its 401 (session_ended: signed_out) arrives now
    await settle();
    expect(area.data.has('sessionNote')).toBe(false);
    expect(await products.getState()).toEqual({ status: 'signed_out' });
  });

  it('records no session end for "Sign out of this extension only", and keeps its note', async () => {
    const { idp, area, auth, products, holdNextPoll } = await signedIn();
    const poll = holdNextPoll();
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    expect((await products.getSwitcherState('segment')).status).toBe('signed_in');
    await poll.reached;
    await auth.signOut({ extensionOnly: true });
    await products.clear();
    poll.open();
    await settle();
    expect(area.data.get('sessionNote')).toEqual({ noSilentSignIn: true });
    expect(await products.getState()).toEqual({ status: 'signed_out' });
  });
});

describe('a session end reported for tokens already replaced', () => {
  it('leaves the stored tokens and the note as they are', async () => {
    const { area, auth } = await signedIn();
    expect(await auth.refresh()).toBe('access-2');
    // A request that used access-1 before the refresh is refused late.
    expect(await auth.sessionEnded('password_changed', 'access-1')).toBe(false);
    expect(area.data.get('tokens')).toMatchObject({ accessToken: 'access-2' });
    expect(area.data.has('sessionNote')).toBe(false);
  });

  it('still ends the session of the tokens it names', async () => {
    const { area, auth } = await signedIn();
    expect(await auth.sessionEnded('password_changed', 'access-1')).toBe(true);
    expect(area.data.has('tokens')).toBe(false);
    expect(area.data.get('sessionNote')).toEqual({ ended: 'password_changed' });
  });
});
