/**
 * SSO sign-in through the bundled Acme IdP: identifier-first routing, SP-initiated and IdP-initiated flows,
 * enforcement, no JIT (tom), and the Twilio session that follows being an ordinary one for every product.
 */
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { DEMO_IDS } from '../../mock-server/seed';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../../scripts/lib/oidc-clients';
import {
  completeSsoLogin,
  continueToIdp,
  formOn,
  postToAcs,
  responseOnPage,
  signInAtAcme,
} from '../../scripts/lib/saml-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { acmeSp, expectRefusal, expectSignInPageRefusal, IDA, SAM, startSpInitiated, TOM } from './sso';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

function configureAcme(settings: { enforced: boolean; allowIdpInitiated: boolean }) {
  world.sso.connections.configure(DEMO_IDS.acme, settings);
}
afterEach(() => configureAcme({ enforced: true, allowIdpInitiated: false }));

/** Signs `who` in through the extension's client by SSO and exchanges the code. */
async function ssoTokens(who: { email: string; idpPassword: string }, browser = new HeadlessBrowser()) {
  const config = await extensionClient(world);
  const nonce = oidc.randomNonce();
  const { url, codeVerifier: verifier } = await extensionAuthorization(config, { state: 'state-sso', nonce });
  const callback = await completeSsoLogin(browser, url, EXTENSION_REDIRECT_URI, who);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: 'state-sso',
    expectedNonce: nonce,
  });
  return { tokens, browser };
}

describe('Twilio’s SP metadata for an organization', () => {
  it('publishes the entity ID, the ACS (HTTP-POST), NameID emailAddress and signed assertions', async () => {
    const sp = acmeSp(world);
    const metadata = await new HeadlessBrowser().request(sp.metadataUrl);
    expect(metadata.headers.get('content-type')).toBe('application/samlmetadata+xml');
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${sp.entityId}"`);
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect(xml).toContain(
      `<AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${sp.acsUrl}"/>`,
    );
    expect(xml).toContain('<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>');
  });

  it('answers 404 for an organization that does not exist', async () => {
    const response = await new HeadlessBrowser().request(`${world.urls.login}/saml/ORnope/metadata`);
    await expectRefusal(response, 404, 'not_found');
  });
});

describe('identifier-first sign-in', () => {
  it('asks for the email first, then the password for an email without SSO', async () => {
    const login = await openLogin(world);
    expect(login.html).toContain('action="/interaction/');
    expect(login.html).toContain('/identify"');
    expect(login.html).not.toContain('name="password"');
    const identified = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: ADA.email },
    });
    // The password step answers the email's POST itself, without a redirect and another request.
    expect(identified.status).toBe(200);
    expect(identified.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const passwordStep = await identified.text();
    expect(passwordStep).toContain('value="ada@example.com" readonly');
    expect(passwordStep).toContain('autocomplete="current-password"');
    expect(passwordStep).toContain(`action="${login.interactionUrl.pathname}/login"`);
    expect(passwordStep).not.toContain('single sign-on');
    // Reloading the sign-in page keeps the email given.
    const reloaded = await (await login.browser.request(login.interactionUrl)).text();
    expect(reloaded).toContain('value="ada@example.com" readonly');
    expect(reloaded).toContain('autocomplete="current-password"');
  });

  it('answers a member’s email of an organization that enforces SSO with a 303 to the SSO start, not a password page', async () => {
    const login = await openLogin(world);
    const identified = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: SAM.email },
    });
    expect(identified.status).toBe(303);
    expect(identified.headers.get('location')).toBe(`${login.interactionUrl.pathname}/sso`);
    expect(await identified.text()).not.toContain('name="password"');
  });

  it('asks for the password, never SSO, for an email on a domain its organization has not verified', async () => {
    const { organizations } = world.organizations;
    const unverified = organizations.create({ name: 'Umbrella' });
    organizations.addDomain(unverified.id, 'umbrella.test');
    world.sso.connections.connect(unverified.id, world.sso.connections.find(DEMO_IDS.acme)!);
    world.sso.connections.configure(unverified.id, { enforced: true, allowIdpInitiated: false });
    const login = await openLogin(world);
    const identified = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: 'kim@umbrella.test' },
    });
    expect(identified.status).toBe(200);
    const page = await identified.text();
    expect(page).toContain('value="kim@umbrella.test" readonly');
    expect(page).toContain('name="password"');
    expect(page).not.toContain('single sign-on');
  });

  it('sends a sign-in at its consent step back to the sign-in page when an email is posted to it', async () => {
    const login = await openLogin(world);
    await codeAfter(login, await submitPassword(login, ADA));
    // Signed in: a new request that asks for consent opens an interaction at the consent prompt.
    const { url } = await extensionAuthorization(login.config, { prompt: 'consent' });
    const authorized = await login.browser.request(url);
    expect(authorized.status).toBe(303);
    const interactionUrl = new URL(authorized.headers.get('location')!, url);
    const identifyUrl = `${interactionUrl.href}/identify`;
    // The step's CSRF token exists once the interaction was seen (the first POST, refused without it).
    expect((await login.browser.request(identifyUrl, { form: { csrf: 'none', email: ADA.email } })).status).toBe(403);
    const { csrf_token: csrf } = world.db
      .prepare('SELECT csrf_token FROM login_steps WHERE interaction_uid = ?')
      .get(interactionUrl.pathname.split('/').pop()) as { csrf_token: string };
    const identified = await login.browser.request(identifyUrl, { form: { csrf, email: ADA.email } });
    expect(identified.status).toBe(303);
    expect(identified.headers.get('location')).toBe(interactionUrl.pathname);
    // The sign-in page gives the first-party consent and the authorization goes on to its code.
    const { code } = await codeAfter(login, identified);
    expect(code).toEqual(expect.any(String));
  });

  it('sends an email on Acme’s verified domain (SSO enforced) to the Acme IdP with an AuthnRequest and the email as hint', async () => {
    const { idpUrl, authnRequest } = await startSpInitiated(world, SAM.email);
    expect(idpUrl.origin + idpUrl.pathname).toBe(`${world.urls.acme}/saml/sso`);
    expect(idpUrl.searchParams.get('login_hint')).toBe(SAM.email);
    expect(authnRequest).toContain(`AssertionConsumerServiceURL="${acmeSp(world).acsUrl}"`);
    expect(authnRequest).toContain(
      `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${acmeSp(world).entityId}</saml:Issuer>`,
    );
  });

  it('asks an acme.test email of no Twilio user for a password, offering Acme’s SSO beside it (enforcement is for members)', async () => {
    const login = await openLogin(world);
    const identified = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: 'nobody-here@acme.test' },
    });
    expect(identified.status).toBe(200);
    const page = await identified.text();
    expect(page).toContain('value="nobody-here@acme.test" readonly');
    expect(page).toContain('name="password"');
    expect(page).toContain(`<a href="${login.interactionUrl.pathname}/sso">Sign in with Acme single sign-on</a>`);
  });

  it('follows a login_hint on an enforced domain straight to the IdP', async () => {
    const config = await extensionClient(world);
    const { url } = await extensionAuthorization(config, { login_hint: SAM.email });
    const { url: landed, response } = await new HeadlessBrowser().follow(url);
    expect(landed.origin).toBe(world.urls.acme);
    expect(await response!.text()).toContain('value="sam@acme.test"');
  });
});

describe('SP-initiated SSO through the Acme IdP', () => {
  it('signs sam in; the ID token says he authenticated federated (amr fed)', async () => {
    const { tokens } = await ssoTokens(SAM);
    const claims = tokens.claims()!;
    expect(claims.email).toBe(SAM.email);
    expect(claims.amr).toEqual(['fed']);
  });

  it('keeps an ordinary Twilio session: the Console signs sam in without asking again', async () => {
    const { browser } = await ssoTokens(SAM);
    const consoleHome = await browser.follow(`${world.urls.console}/`);
    expect(consoleHome.url.origin).toBe(world.urls.console);
    expect(await consoleHome.response!.text()).toContain(SAM.email);
    // The Console's own ID token, from that same session, says how sam signed in: federated.
    const consoleSessionId = browser.jar.value(new URL(world.urls.console).hostname, 'console_session')!;
    const { data } = world.db.prepare('SELECT data FROM rp_sessions WHERE id = ?').get(consoleSessionId) as {
      data: string;
    };
    const { idToken } = JSON.parse(data) as { idToken: string };
    expect(decodeJwt(idToken)).toMatchObject({ email: SAM.email, amr: ['fed'] });
  });

  it('says amr pwd (RFC 8176) for a password sign-in, where SSO says fed', async () => {
    const config = await extensionClient(world);
    const { url, codeVerifier: verifier } = await extensionAuthorization(config, { state: 'state-pwd' });
    const callback = await completeLogin(new HeadlessBrowser(), url, EXTENSION_REDIRECT_URI, ADA);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'state-pwd',
    });
    expect(tokens.claims()).toMatchObject({ email: ADA.email, amr: ['pwd'] });
  });

  it('ends a Segment login with sam’s email (once his Segment user is unified) at the Acme IdP and back in Segment', async () => {
    world.setups.createSegmentUser(world.users.findByEmail(SAM.email)!, 'Sam’s workspace');
    const browser = new HeadlessBrowser();
    const loginPage = await browser.request(`${world.urls.segment}/login`);
    const submitted = await browser.request(`${world.urls.segment}/login`, {
      form: { csrf: csrfTokenIn(await loginPage.text()), next: '/', email: SAM.email, password: '' },
    });
    expect(submitted.headers.get('location')).toBe('/login/twilio?login_hint=sam%40acme.test&next=%2F');
    const atIdp = await browser.follow(new URL(submitted.headers.get('location')!, world.urls.segment));
    expect(atIdp.url.origin).toBe(world.urls.acme);
    const posted = await signInAtAcme(browser, atIdp.url, await atIdp.response!.text(), {
      email: SAM.email,
      password: SAM.idpPassword,
    });
    const atAcs = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    expect(atAcs.status).toBe(303);
    const landed = await browser.follow(new URL(atAcs.headers.get('location')!, posted.acsUrl));
    expect(landed.url.origin).toBe(world.urls.segment);
    expect(landed.response!.status).toBe(200);
  });

  it('refuses a wrong Acme password at the IdP with 400 and no response for Twilio', async () => {
    const { login, idpUrl } = await startSpInitiated(world, SAM.email);
    const page = await (await login.browser.request(idpUrl)).text();
    const { fields } = formOn(page);
    const refused = await login.browser.request(`${world.urls.acme}/login`, {
      form: { pending: fields.pending!, csrf: fields.csrf!, email: SAM.email, password: 'wrong-pass' },
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('Email or password is incorrect.');
    expect(html).not.toContain('SAMLResponse');
  });

  it('finishes only in the browser whose sign-in asked (the ticket is bound to it)', async () => {
    const { login, idpUrl } = await startSpInitiated(world, SAM.email);
    const page = await (await login.browser.request(idpUrl)).text();
    const posted = await signInAtAcme(login.browser, idpUrl, page, { email: SAM.email, password: SAM.idpPassword });
    const atAcs = await postToAcs(new HeadlessBrowser(), posted.acsUrl, posted.samlResponse, world.urls.acme);
    // An attacker who lures the victim's response elsewhere gets a ticket their own browser cannot use.
    const elsewhere = await new HeadlessBrowser().request(new URL(atAcs.headers.get('location')!, posted.acsUrl));
    await expectRefusal(elsewhere, 400, 'interaction_expired');
  });
});

describe('enforcement', () => {
  it('refuses sam’s password when SSO is enforced and points him to single sign-on (no password check)', async () => {
    const login = await openLogin(world);
    const response = await submitPassword(login, { email: SAM.email, password: 'any-password' });
    expect(response.status).toBe(303);
    const page = await (await login.browser.request(login.interactionUrl)).text();
    expect(page).toContain('Your organization signs you in with single sign-on');
    expect(page).toContain(`href="${login.interactionUrl.pathname}/sso"`);
  });

  it('answers a password for an acme.test email of no Twilio user as any wrong password (no SSO notice)', async () => {
    const login = await openLogin(world);
    const response = await submitPassword(login, { email: 'nobody-here@acme.test', password: 'any-password' });
    expect(response.status).toBe(303);
    const page = await (await login.browser.request(login.interactionUrl)).text();
    expect(page).toContain('Email or password is incorrect.');
    expect(page).not.toContain('Your organization signs you in with single sign-on');
  });

  it('lets an Acme user with a Twilio password use either when SSO is not enforced', async () => {
    configureAcme({ enforced: false, allowIdpInitiated: false });
    world.db
      .prepare('UPDATE users SET password_hash = ? WHERE email = ?')
      .run(await hashPassword('ida-twilio-pass-2026'), IDA.email);
    const login = await openLogin(world);
    const response = await submitPassword(login, { email: IDA.email, password: 'ida-twilio-pass-2026' });
    expect((await codeAfter(login, response)).code).toEqual(expect.any(String));

    const second = await openLogin(world);
    await second.browser.request(`${second.interactionUrl.href}/identify`, {
      form: { csrf: second.csrf, email: IDA.email },
    });
    const passwordStep = await (await second.browser.request(second.interactionUrl)).text();
    expect(passwordStep).toContain('name="password"');
    expect(passwordStep).toContain('Sign in with Acme single sign-on');
    const { tokens } = await ssoTokens(IDA);
    expect(tokens.claims()!.email).toBe(IDA.email);
  });
});

describe('users the organization has not provisioned', () => {
  it('tells tom, who exists only at Acme’s IdP, plainly to ask his administrator', async () => {
    // No member: the email step asks for a password and offers Acme's SSO, which tom takes.
    const login = await openLogin(world);
    const identified = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: TOM.email },
    });
    expect(await identified.text()).toContain(
      `<a href="${login.interactionUrl.pathname}/sso">Sign in with Acme single sign-on</a>`,
    );
    const ssoStart = await login.browser.request(`${login.interactionUrl.href}/sso`);
    expect(ssoStart.status).toBe(303);
    const idpUrl = new URL(ssoStart.headers.get('location')!);
    expect(idpUrl.searchParams.get('login_hint')).toBe(TOM.email);
    const page = await (await login.browser.request(idpUrl)).text();
    const posted = await signInAtAcme(login.browser, idpUrl, page, { email: TOM.email, password: TOM.idpPassword });
    const refused = await postToAcs(login.browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    await expectSignInPageRefusal(
      login,
      refused,
      'tom@acme.test does not have access to Twilio yet. Ask your administrator to add you.',
    );
    // Reloading does not loop back to the IdP: the sign-in asks for an email again.
    expect(await (await login.browser.request(login.interactionUrl)).text()).toContain('/identify"');
    expect(world.users.findByEmail(TOM.email)).toBeUndefined();
  });
});

describe('deprovisioned users', () => {
  it('refuses sam by SSO while Acme has deactivated him, and lets him in again once reactivated', async () => {
    const sam = world.users.findByEmail(SAM.email)!;
    const { organizations } = world.organizations;
    expect(organizations.setMemberActive(DEMO_IDS.acme, sam.id, false)).toBe(true);
    try {
      const { login, idpUrl } = await startSpInitiated(world, SAM.email);
      const page = await (await login.browser.request(idpUrl)).text();
      const posted = await signInAtAcme(login.browser, idpUrl, page, { email: SAM.email, password: SAM.idpPassword });
      const refused = await postToAcs(login.browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
      await expectSignInPageRefusal(login, refused, 'sam@acme.test has been deactivated. Ask your administrator.');
    } finally {
      organizations.setMemberActive(DEMO_IDS.acme, sam.id, true);
    }
    expect((await ssoTokens(SAM)).tokens.claims()!.email).toBe(SAM.email);
  });
});

describe('IdP-initiated SSO (Acme’s app tile)', () => {
  it('finds the app whatever the case of its name in the tile address', async () => {
    for (const name of ['twilio', 'Twilio', 'TWILIO']) {
      const tile = await new HeadlessBrowser().request(`${world.urls.acme}/start/${name}`);
      expect(tile.status).toBe(200);
      expect(await tile.text()).toContain('name="pending"');
    }
    expect((await new HeadlessBrowser().request(`${world.urls.acme}/start/nothing`)).status).toBe(404);
  });

  it('tells tom, from the tile, to ask his administrator (403: there is no sign-in page to go back to)', async () => {
    configureAcme({ enforced: true, allowIdpInitiated: true });
    const browser = new HeadlessBrowser();
    const tile = await browser.request(`${world.urls.acme}/start/twilio`);
    const posted = await signInAtAcme(browser, new URL(`${world.urls.acme}/start/twilio`), await tile.text(), {
      email: TOM.email,
      password: TOM.idpPassword,
    });
    const refused = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    const body = await expectRefusal(refused, 403, 'saml_user_not_provisioned');
    expect(body).toContain('tom@acme.test does not have access to Twilio yet. Ask your administrator to add you.');
  });

  async function fromTile(browser: HeadlessBrowser) {
    const tile = await browser.request(`${world.urls.acme}/start/twilio`);
    return signInAtAcme(browser, new URL(`${world.urls.acme}/start/twilio`), await tile.text(), {
      email: SAM.email,
      password: SAM.idpPassword,
    });
  }

  it('signs sam in to the Console when Acme allows it', async () => {
    configureAcme({ enforced: true, allowIdpInitiated: true });
    const browser = new HeadlessBrowser();
    const posted = await fromTile(browser);
    const atAcs = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    expect(atAcs.status).toBe(303);
    expect(atAcs.headers.get('location')).toMatch(/^\/saml\/complete\?ticket=/);
    const landed = await browser.follow(new URL(atAcs.headers.get('location')!, posted.acsUrl));
    expect(landed.url.origin).toBe(world.urls.console);
    expect(await landed.response!.text()).toContain(SAM.email);
  });

  it('refuses it with 403 when Acme does not allow it', async () => {
    const browser = new HeadlessBrowser();
    const posted = await fromTile(browser);
    const refused = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    await expectRefusal(refused, 403, 'saml_idp_initiated_not_allowed');
  });

  it('answers an SP-initiated sign-in at once when the browser already has an Acme session', async () => {
    const browser = new HeadlessBrowser();
    const home = formOn(await (await browser.request(`${world.urls.acme}/start`)).text()).fields;
    const signedIn = await browser.request(`${world.urls.acme}/login`, {
      form: { pending: home.pending!, csrf: home.csrf!, email: SAM.email, password: SAM.idpPassword },
    });
    expect(signedIn.status).toBe(303);
    const config = await extensionClient(world);
    const { url: authorize } = await extensionAuthorization(config);
    const emailStep = await browser.follow(authorize);
    const { html } = await continueToIdp(browser, emailStep.url, await emailStep.response!.text(), SAM.email);
    expect(responseOnPage(html).acsUrl.href).toBe(acmeSp(world).acsUrl);
  });
});
