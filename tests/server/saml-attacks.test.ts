/**
 * Every known way to forge or misuse a SAML response at Twilio's ACS, each refused with its exact status and code.
 * Responses are crafted with the Acme IdP's own builder and key (so only the attack differs from a good one).
 */
import { deflateRawSync } from 'node:zlib';
import { DOMParser, type Document, type Element, XMLSerializer } from '@xmldom/xmldom';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigningIdentity } from '../../mock-server/saml/certificates';
import { DEMO_IDS } from '../../mock-server/seed';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { postToAcs } from '../../scripts/lib/saml-browser';
import {
  acmeIdentity,
  acmeSp,
  base64,
  craftedResponse,
  expectRefusal,
  expectSignInPageRefusal,
  postXml,
  startSpInitiated,
} from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

function setIdpInitiated(allowed: boolean) {
  world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: allowed });
}
afterEach(() => setIdpInitiated(false));

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (doc: Document) => new XMLSerializer().serializeToString(doc);

/** The Response's (first) assertion element. */
function assertionOf(doc: Document): Element {
  return doc.getElementsByTagNameNS(ASSERTION_NS, 'Assertion')[0] as Element;
}

/** An unsigned assertion for ida (the organization admin), to smuggle next to sam's signed one. */
async function evilAssertion(requestId: string): Promise<Element> {
  const evil = parse(
    await craftedResponse(
      world,
      { inResponseTo: requestId, nameId: 'ida@acme.test' },
      { assertion: false, response: false },
    ),
  );
  const assertion = assertionOf(evil);
  assertion.setAttribute('ID', '_evil');
  return assertion;
}

describe('the ACS accepts a good response (the baseline every attack below changes one thing of)', () => {
  it('signs sam in with a 303 to the sign-in that asked', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const response = await postXml(
      world,
      login,
      await craftedResponse(world, { inResponseTo: requestId }, { response: false }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      new RegExp(`^/interaction/${login.interactionUrl.pathname.split('/')[2]}/sso/complete\\?ticket=`),
    );
  });
});

describe('signatures', () => {
  it('refuses a response with neither the response nor the assertion signed', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId }, { assertion: false, response: false });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_signature_invalid');
  });

  it('refuses a signed response whose assertion is unsigned (assertions must be signed)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId }, { assertion: false, response: true });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_signature_invalid');
  });

  it('refuses a response signed by another key, even with that key’s certificate in KeyInfo', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(
      world,
      { inResponseTo: requestId },
      { identity: await createSigningIdentity('evil.example') },
    );
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_signature_invalid');
  });

  it('refuses a signed assertion whose NameID was changed after signing', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = (await craftedResponse(world, { inResponseTo: requestId }, { response: false })).replace(
      'sam@acme.test</saml:NameID>',
      'ida@acme.test</saml:NameID>',
    );
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_signature_invalid');
  });
});

describe('XML signature wrapping', () => {
  it('refuses an unsigned assertion placed before the signed one', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const doc = parse(await craftedResponse(world, { inResponseTo: requestId }, { response: false }));
    const signed = assertionOf(doc);
    signed.parentNode!.insertBefore(doc.importNode(await evilAssertion(requestId), true), signed);
    await expectRefusal(await postXml(world, login, serialize(doc)), 400, 'saml_signature_invalid');
  });

  it('refuses an unsigned assertion placed after the signed one', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const doc = parse(await craftedResponse(world, { inResponseTo: requestId }, { response: false }));
    doc.documentElement!.appendChild(doc.importNode(await evilAssertion(requestId), true));
    await expectRefusal(await postXml(world, login, serialize(doc)), 400, 'saml_signature_invalid');
  });

  it('refuses an unsigned assertion wrapped around the signed one (hidden in its Advice)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const doc = parse(await craftedResponse(world, { inResponseTo: requestId }, { response: false }));
    const signed = assertionOf(doc);
    const evil = doc.importNode(await evilAssertion(requestId), true) as Element;
    const advice = doc.createElementNS(ASSERTION_NS, 'saml:Advice');
    evil.appendChild(advice);
    signed.parentNode!.replaceChild(evil, signed);
    advice.appendChild(signed);
    await expectRefusal(await postXml(world, login, serialize(doc)), 400, 'saml_signature_invalid');
  });

  it('refuses an unsigned assertion carrying the signed one’s signature, the original hidden inside it', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const doc = parse(await craftedResponse(world, { inResponseTo: requestId }, { response: false }));
    const signed = assertionOf(doc);
    const signature = signed.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
    const evil = doc.importNode(await evilAssertion(requestId), true) as Element;
    // The evil assertion takes the original's ID, so the signature's reference seems to point at it.
    evil.setAttribute('ID', signed.getAttribute('ID')!);
    evil.insertBefore(signature.cloneNode(true), evil.firstChild!.nextSibling);
    signed.setAttribute('ID', '_moved');
    signature.appendChild(signed.cloneNode(true));
    signed.parentNode!.replaceChild(evil, signed);
    await expectRefusal(await postXml(world, login, serialize(doc)), 400, 'saml_signature_invalid');
  });

  it('refuses a signed response moved inside an unsigned one with an unsigned assertion (XSW1)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const original = parse(await craftedResponse(world, { inResponseTo: requestId }));
    const outer = parse(
      await craftedResponse(
        world,
        { inResponseTo: requestId, nameId: 'ida@acme.test' },
        { assertion: false, response: false },
      ),
    );
    const extensions = outer.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions');
    extensions.appendChild(outer.importNode(original.documentElement!, true));
    outer.documentElement!.insertBefore(extensions, outer.documentElement!.firstChild!.nextSibling);
    await expectRefusal(await postXml(world, login, serialize(outer)), 400, 'saml_signature_invalid');
  });
});

describe('NameID tricks and XML entities', () => {
  it('refuses a comment inside NameID (sam@acme.test<!---->.evil), though the signature still verifies', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = (
      await craftedResponse(world, { inResponseTo: requestId, nameId: 'sam@acme.test.evil' }, { response: false })
    ).replace('sam@acme.test.evil</saml:NameID>', 'sam@acme.test<!---->.evil</saml:NameID>');
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_nameid_invalid');
  });

  it('refuses an entity inside NameID (it needs a DOCTYPE, which is refused)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const signed = await craftedResponse(world, { inResponseTo: requestId }, { response: false });
    const xml = `<!DOCTYPE samlp:Response [<!ENTITY d "acme.test">]>${signed.replace('sam@acme.test</saml:NameID>', 'sam@&d;</saml:NameID>')}`;
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_doctype_forbidden');
  });

  it('refuses a DOCTYPE with an external entity (XXE) before parsing', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const signed = await craftedResponse(world, { inResponseTo: requestId }, { response: false });
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${signed.replace('sam@acme.test</saml:NameID>', '&xxe;</saml:NameID>')}`;
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_doctype_forbidden');
  });
});

describe('audience, recipient and destination', () => {
  it('refuses an assertion for another audience', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, audience: 'https://evil.example/sp' });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_audience_mismatch');
  });

  it('refuses an assertion for another recipient', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, recipient: 'https://evil.example/acs' });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_recipient_mismatch');
  });

  it('refuses a response addressed to another destination', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, destination: 'https://evil.example/acs' });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_destination_mismatch');
  });
});

describe('time', () => {
  it('refuses an assertion past its NotOnOrAfter', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, now: Date.now() - 20 * 60_000 });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_expired');
  });

  it('refuses an assertion whose NotBefore is further in the future than the allowed skew (60 s)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, now: Date.now() + 5 * 60_000 });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_not_yet_valid');
  });

  it('accepts an IdP clock 30 s ahead (within the skew)', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, now: Date.now() + 30_000 });
    expect((await postXml(world, login, xml)).status).toBe(303);
  });
});

describe('replay and unsolicited responses', () => {
  it('refuses the same assertion a second time (IdP-initiated, where no request ID protects it)', async () => {
    setIdpInitiated(true);
    const xml = await craftedResponse(world);
    const browser = new HeadlessBrowser();
    expect((await postToAcs(browser, acmeSp(world).acsUrl, base64(xml), world.urls.acme)).status).toBe(303);
    const again = await postToAcs(new HeadlessBrowser(), acmeSp(world).acsUrl, base64(xml), world.urls.acme);
    await expectRefusal(again, 400, 'saml_replayed');
  });

  it('refuses a second response to a request already answered', async () => {
    const { login, requestId } = await startSpInitiated(world);
    expect((await postXml(world, login, await craftedResponse(world, { inResponseTo: requestId }))).status).toBe(303);
    const second = await craftedResponse(world, { inResponseTo: requestId });
    await expectRefusal(await postXml(world, login, second), 400, 'saml_request_reused');
  });

  it('refuses a response to a request Twilio never sent', async () => {
    const { login } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: '_never-sent-by-twilio' });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_unsolicited');
  });

  it('refuses a request ID of another organization’s sign-in', async () => {
    const { login, requestId } = await startSpInitiated(world);
    world.db.prepare('UPDATE saml_requests SET organization_id = ? WHERE id = ?').run('OR-other', requestId);
    const xml = await craftedResponse(world, { inResponseTo: requestId });
    await expectRefusal(await postXml(world, login, xml), 400, 'saml_unsolicited');
  });

  it('refuses an IdP-initiated response when the organization does not allow it', async () => {
    const xml = await craftedResponse(world);
    const response = await postToAcs(new HeadlessBrowser(), acmeSp(world).acsUrl, base64(xml), world.urls.acme);
    await expectRefusal(response, 403, 'saml_idp_initiated_not_allowed');
  });
});

describe('who the assertion may name', () => {
  it('refuses a NameID outside the organization’s verified domains', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, nameId: 'ada@example.com' });
    const response = await postXml(world, login, xml);
    await expectSignInPageRefusal(login, response, 'ada@example.com is not on a verified domain of your organization.');
  });

  it('refuses an assertion from Acme’s IdP for another organization’s user, at that organization’s ACS', async () => {
    const { organizations } = world.organizations;
    const globex = organizations.create({ name: 'Globex' });
    organizations.addDomain(globex.id, 'globex.test', { verified: true });
    const gil = world.users.create({ email: 'gil@globex.test', name: 'Gil', passwordHash: 'unusable' });
    organizations.addMember(globex.id, gil.id, 'member');
    // Globex's admin connected Acme's IdP (its metadata is public) and allows IdP-initiated sign-ins.
    const acmeIdp = world.sso.connections.find(DEMO_IDS.acme)!;
    world.sso.connections.connect(globex.id, acmeIdp);
    world.sso.connections.configure(globex.id, { enforced: false, allowIdpInitiated: true });
    const globexSp = serviceProviderUrls(world.urls.login, globex.id);
    const forGlobex = { acsUrl: globexSp.acsUrl, audience: globexSp.entityId };
    const post = (xml: string) => postToAcs(new HeadlessBrowser(), globexSp.acsUrl, base64(xml), world.urls.acme);

    // Acme's IdP vouching for sam at Globex's SP: sam is Acme's, not Globex's.
    await expectRefusal(await post(await craftedResponse(world, forGlobex)), 403, 'saml_user_outside_organization');
    // The same IdP vouching for Globex's own user is Globex's choice to trust, and signs gil in.
    expect((await post(await craftedResponse(world, { ...forGlobex, nameId: gil.email }))).status).toBe(303);
    // And sam's genuine Acme assertion, replayed at Globex's ACS, is addressed elsewhere.
    await expectRefusal(await post(await craftedResponse(world)), 400, 'saml_destination_mismatch');
  });

  it('refuses gil@globex.test vouched for by Acme’s IdP at Acme’s ACS', async () => {
    const { login, requestId } = await startSpInitiated(world);
    const xml = await craftedResponse(world, { inResponseTo: requestId, nameId: 'gil@globex.test' });
    const response = await postXml(world, login, xml);
    await expectSignInPageRefusal(login, response, 'gil@globex.test is not on a verified domain of your organization.');
  });
});

describe('sizes and bombs', () => {
  it('refuses a deflate bomb in the Redirect binding at the Acme IdP with 413', async () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(12_000);
    const response = await new HeadlessBrowser().request(
      `${world.urls.acme}/saml/sso?${new URLSearchParams({ SAMLRequest: bomb })}`,
    );
    await expectRefusal(response, 413, 'payload_too_large');
  });

  it('refuses an oversized response at the ACS with 413 before reading it', async () => {
    const { login } = await startSpInitiated(world);
    const response = await postToAcs(login.browser, acmeSp(world).acsUrl, 'A'.repeat(1024 * 1024), world.urls.acme);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
  });

  it('refuses a response that is not base64 or not XML with 400', async () => {
    const { login } = await startSpInitiated(world);
    await expectRefusal(
      await postToAcs(login.browser, acmeSp(world).acsUrl, '<xml>', world.urls.acme),
      400,
      'saml_malformed',
    );
    await expectRefusal(
      await postToAcs(login.browser, acmeSp(world).acsUrl, base64('not xml'), world.urls.acme),
      400,
      'saml_malformed',
    );
  });

  it('refuses XML the parser gives up on (an unclosed tag, no root element) with 400, at the ACS and at the Acme IdP', async () => {
    for (const xml of ['<x', '<a><b></a>', '<?xml version="1.0"?>']) {
      const { login } = await startSpInitiated(world);
      const page = await expectRefusal(
        await postToAcs(login.browser, acmeSp(world).acsUrl, base64(xml), world.urls.acme),
        400,
        'saml_malformed',
      );
      expect(page, xml).toContain('The SAMLResponse is not well-formed XML.');
      const request = deflateRawSync(Buffer.from(xml)).toString('base64');
      const atIdp = await expectRefusal(
        await new HeadlessBrowser().request(
          `${world.urls.acme}/saml/sso?${new URLSearchParams({ SAMLRequest: request })}`,
        ),
        400,
        'saml_malformed',
      );
      expect(atIdp, xml).toContain('The SAMLRequest is not well-formed XML.');
    }
  });
});

it('the seeded Acme connection trusts exactly the Acme IdP’s certificate (the key these responses are signed with)', async () => {
  const identity = await acmeIdentity(world);
  expect(world.sso.connections.find(DEMO_IDS.acme)?.certificates).toEqual([identity.certificatePem]);
});
