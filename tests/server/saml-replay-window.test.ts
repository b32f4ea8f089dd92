/**
 * The replay guard remembers an accepted assertion for as long as the ACS would accept it again: an assertion whose
 * Conditions carry no NotOnOrAfter is valid until its bearer confirmation's NotOnOrAfter.
 */
import { describe, expect, it } from 'vitest';
import { signResponse } from '../../mock-server/acme-idp/saml-response';
import { DEMO_IDS } from '../../mock-server/seed';
import { purgeExpired } from '../../mock-server/storage/database';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { postToAcs } from '../../scripts/lib/saml-browser';
import { acmeIdentity, acmeSp, base64, expectRefusal, unsignedResponse } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();

describe('SAML replay of an assertion whose Conditions have no NotOnOrAfter', () => {
  it('refuses the same assertion again after the periodic purge, while its confirmation is still valid', async () => {
    world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: true });
    const sp = acmeSp(world);
    const unsigned = unsignedResponse(world, { lifetimeMs: 30 * 60_000 }).replace(
      /<saml:Conditions [^>]*>/,
      '<saml:Conditions>',
    );
    expect(unsigned).toContain('<saml:Conditions><saml:AudienceRestriction>');
    const xml = signResponse(unsigned, await acmeIdentity(world));
    const post = () => postToAcs(new HeadlessBrowser(), sp.acsUrl, base64(xml), world.urls.acme);

    expect((await post()).status).toBe(303);
    // Five minutes on, the server's purge of expired rows runs; the bearer confirmation is good for 25 more.
    world.advance(5 * 60_000);
    purgeExpired(world.db, Date.now() + 5 * 60_000);
    await expectRefusal(await post(), 400, 'saml_replayed');
  });
});
