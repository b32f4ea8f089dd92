/**
 * The Redirect binding's signature covers RelayState when the request has one. A signed AuthnRequest with two
 * RelayState parameters appended must not pass as signed: the first, unsigned one is what the IdP would carry on.
 */
import { describe, expect, it } from 'vitest';
import { expectRefusal, SAM, startSpInitiated } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();

describe('RelayState in a signed Redirect-binding AuthnRequest', () => {
  it('refuses a signed request with RelayState given twice (neither signed) with 400 saml_signature_invalid', async () => {
    const { idpUrl, login } = await startSpInitiated(world, SAM.email);
    expect(idpUrl.searchParams.has('RelayState')).toBe(false);
    const tampered = new URL(`${idpUrl.href}&RelayState=chosen-by-someone-else&RelayState=again`);
    const body = await expectRefusal(await login.browser.request(tampered), 400, 'saml_signature_invalid');
    expect(body).toContain('The sign-in request’s signature is not the app’s.');
    expect(body).not.toContain('chosen-by-someone-else');
  });

  it('still accepts the same signed request as sent', async () => {
    const { idpUrl, login } = await startSpInitiated(world, SAM.email);
    const atAcme = await login.browser.request(idpUrl);
    expect(atAcme.status).toBe(200);
    expect(await atAcme.text()).toContain('value="sam@acme.test"');
  });
});
