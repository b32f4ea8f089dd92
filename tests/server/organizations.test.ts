import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { emailDomain, newOrganizationId } from '../../mock-server/organizations/organizations';
import { ACME_SCIM_APP, DEMO_IDS } from '../../mock-server/seed';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { freshUser } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { organizations, scimApps } = world.organizations;

const me = (accessToken: string) =>
  localhostFetch(`${world.issuer}${API_PATHS.me}`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('organizations', () => {
  it('seeds Acme with the verified domain acme.test and its SSO-only members sam, sue and ida (admin)', () => {
    const acme = organizations.findById(DEMO_IDS.acme)!;
    expect(acme).toMatchObject({ id: DEMO_IDS.acme, name: 'Acme' });
    expect(acme.id).toMatch(/^OR[0-9a-f]{32}$/);
    expect(organizations.domains(acme.id)).toEqual([
      {
        organizationId: acme.id,
        domain: 'acme.test',
        verified: true,
        createdAt: expect.any(Number),
        verificationToken: expect.stringMatching(/^[0-9a-f]{32}$/),
        verifiedAt: undefined,
        verifiedBy: undefined,
      },
    ]);
    expect(
      organizations.members(acme.id).map(({ email, role, active, ssoOnly }) => ({ email, role, active, ssoOnly })),
    ).toEqual([
      { email: 'ida@acme.test', role: 'admin', active: true, ssoOnly: true },
      { email: 'sam@acme.test', role: 'member', active: true, ssoOnly: true },
      { email: 'sue@acme.test', role: 'member', active: true, ssoOnly: true },
    ]);
    for (const email of ['sam@acme.test', 'sue@acme.test', 'ida@acme.test']) {
      expect(world.users.findByEmail(email)).toMatchObject({ eligible: true, active: true, organizationId: acme.id });
      expect(world.users.findByEmail(email)!.id).toMatch(/^US[0-9a-f]{32}$/);
    }
    expect(world.users.findByEmail('tom@acme.test')).toBeUndefined();
    expect(scimApps.list(acme.id).map(({ clientId }) => clientId)).toEqual(['scim_acme_demo']);
  });

  it("gives sue an unlinked Segment user of her own, with Segment's demo password", async () => {
    const sue = world.products.segment.users.findByEmail('sue@acme.test')!;
    expect(sue).toMatchObject({ twilioSub: undefined, createdVia: 'password' });
    expect(await verifyPassword(sue.passwordHash, 'segment-pass-2026')).toBe(true);
  });

  it('finds the organization of an email only through a verified domain, whatever its case', () => {
    const other = organizations.create({ name: 'Globex' });
    organizations.addDomain(other.id, 'Globex.Example');
    expect(organizations.forEmail('Sam@ACME.test ')?.id).toBe(DEMO_IDS.acme);
    expect(organizations.forEmail('hank@globex.example')).toBeUndefined();
    expect(organizations.isVerifiedDomain(other.id, 'globex.example')).toBe(false);
    expect(organizations.verifyDomain(other.id, 'GLOBEX.example')).toBe(true);
    expect(organizations.forEmail('hank@globex.example')?.id).toBe(other.id);
    expect(organizations.verifyDomain(other.id, 'acme.test')).toBe(false);
    expect(organizations.forEmail('nobody@example.com')).toBeUndefined();
  });

  it('lets a domain belong to one organization only', () => {
    const other = organizations.create({ name: 'Initech' });
    expect(() => organizations.addDomain(other.id, 'ACME.test')).toThrow(/UNIQUE constraint/);
  });

  it('names the organization and role of a member, and nothing for a user outside any organization', () => {
    const ida = world.users.findByEmail('ida@acme.test')!;
    const sam = world.users.findByEmail('sam@acme.test')!;
    expect(organizations.ofUser(ida.id)).toMatchObject({ organization: { name: 'Acme' }, role: 'admin' });
    expect(organizations.isAdmin(DEMO_IDS.acme, ida.id)).toBe(true);
    expect(organizations.isAdmin(DEMO_IDS.acme, sam.id)).toBe(false);
    expect(organizations.ofUser(world.users.findByEmail('ada@example.com')!.id)).toBeUndefined();
  });

  it('changes only its own members, and reports whether anything changed', () => {
    const ada = world.users.findByEmail('ada@example.com')!;
    expect(organizations.setMemberActive(DEMO_IDS.acme, ada.id, false)).toBe(false);
    expect(world.users.findById(ada.id)!.active).toBe(true);
    const sam = world.users.findByEmail('sam@acme.test')!;
    expect(organizations.setMemberActive(DEMO_IDS.acme, sam.id, true)).toBe(false);
    expect(organizations.setMemberActive(newOrganizationId(), sam.id, false)).toBe(false);
  });

  it('reads the domain of an email after its last @', () => {
    expect(emailDomain(' Sam@Acme.TEST')).toBe('acme.test');
    expect(emailDomain('"a@b"@acme.test')).toBe('acme.test');
    expect(emailDomain('no-at-sign')).toBe('');
  });

  it('accepts no password for an SSO-only user', async () => {
    expect(await verifyPassword(UNUSABLE_PASSWORD_HASH, UNUSABLE_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword(UNUSABLE_PASSWORD_HASH, '')).toBe(false);
  });
});

describe('a deactivated member', () => {
  it('loses the API, refresh and password login, and gets them back when reactivated', async () => {
    const { user, credentials } = await freshUser(world, 'member');
    organizations.addMember(DEMO_IDS.acme, user.id, 'member');
    const { config, tokens } = await signInAsExtension(world, credentials);
    expect((await me(tokens.access_token)).status).toBe(200);

    expect(organizations.setMemberActive(DEMO_IDS.acme, user.id, false)).toBe(true);
    expect(organizations.members(DEMO_IDS.acme).find((member) => member.id === user.id)).toMatchObject({
      active: false,
      ssoOnly: false,
    });
    const refused = await me(tokens.access_token);
    expect(refused.status).toBe(401);
    // The 401 says why (issue 11), so the extension can tell the person.
    expect(await refused.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Your Twilio user was deactivated.',
      session_ended: 'deactivated',
    });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const login = await openLogin(world);
    const attempt = await submitPassword(login, { email: credentials.email, password: credentials.password });
    expect(attempt.status).toBe(303);
    expect(attempt.headers.get('location')).toBe(login.interactionUrl.pathname);
    expect(await (await login.browser.request(login.interactionUrl)).text()).toContain(
      'Email or password is incorrect',
    );

    expect(organizations.setMemberActive(DEMO_IDS.acme, user.id, true)).toBe(true);
    const again = await openLogin(world);
    expect(
      (
        await codeAfter(
          again,
          await submitPassword(again, { email: credentials.email, password: credentials.password }),
        )
      ).code,
    ).toEqual(expect.any(String));
  });
});

describe("Acme's demo SCIM app", () => {
  it('gets an access token with the client credentials grant and the scim scope', async () => {
    const config = await oidc.discovery(
      new URL(world.issuer),
      ACME_SCIM_APP.clientId,
      {},
      oidc.ClientSecretBasic(ACME_SCIM_APP.clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
        [oidc.customFetch]: (url, init) => localhostFetch(url, init as RequestInit),
      },
    );
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'scim' });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'scim', access_token: expect.any(String) });
  });
});
