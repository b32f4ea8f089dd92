/**
 * A NameID is matched to Twilio users in the one normal form of emails (contract/email.ts: NFC, trimmed, lower
 * case): an IdP that sends the decomposed (NFD) form of a member's address signs that member in, and no user is
 * created for it (there is no JIT provisioning).
 */
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { codeAfter } from './login-page';
import { craftedResponse, postXml, startSpInitiated } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const ZOE_NFC = 'zo\u00eb@acme.test';
const ZOE_NFD = 'Zoe\u0308@ACME.test';

describe('a NameID in another Unicode normal form', () => {
  it('signs in the member whose address it is (NFD NameID, NFC user) and creates no user', async () => {
    const zoe = world.users.create({ email: ZOE_NFC, name: 'Zoë', passwordHash: 'unusable' });
    world.organizations.organizations.addMember(DEMO_IDS.acme, zoe.id, 'member');
    const { login, requestId } = await startSpInitiated(world, ZOE_NFD);
    const response = await postXml(
      world,
      login,
      await craftedResponse(world, { inResponseTo: requestId, nameId: ZOE_NFD }),
    );
    expect(response.status).toBe(303);
    const { code, url } = await codeAfter(login, response);
    expect(code).toEqual(expect.any(String));
    const tokens = await oidc.authorizationCodeGrant(login.config, url, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: 'state-1',
    });
    expect(tokens.claims()).toMatchObject({ sub: zoe.id, email: ZOE_NFC, amr: ['fed'] });
    const users = world.db.prepare('SELECT id FROM users WHERE email LIKE ?').all('zo%@acme.test');
    expect(users).toEqual([{ id: zoe.id }]);
  });
});
