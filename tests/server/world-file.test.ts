/**
 * World files: the demo world is one, a custom persona from a file signs in, `--export-world` then `--world`
 * round-trips, and every kind of invalid file is refused with its problems named by path (here as a function; the
 * command line's exit 2 is in world-file-cli.test.ts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { createWorld, type World } from '../../mock-server/app';
import { freePort, localhostFetch } from '../../mock-server/net';
import { createSigningIdentity } from '../../mock-server/saml/certificates';
import { ACME_SCIM_APP, DEMO_IDS, DEMO_WORLD } from '../../mock-server/seed';
import { checkWorldFile } from '../../mock-server/world-file/check';
import { exportWorld } from '../../mock-server/world-file/export';
import { worldFileJsonSchema } from '../../mock-server/world-file/json-schema';
import type { WorldFileInput } from '../../mock-server/world-file/schema';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { PATCH_OP, scimClient, scimToken } from './scim';
import type { TestWorld } from './world';
import { DEMO_FILE as demoFile, demoWith, INVALID_FILES, OTHER_IDP } from './world-files';

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

async function worldFrom(input?: unknown): Promise<World> {
  let file: ReturnType<typeof checkWorldFile> | undefined;
  if (input !== undefined) {
    file = checkWorldFile(input);
    if (!file.ok) throw new Error(file.problems.join('\n'));
  }
  const world = await createWorld({
    port: await freePort(),
    db: ':memory:',
    ...(file?.ok ? { world: file.world } : {}),
  });
  worlds.push(world);
  return world;
}

/** The export without its timestamped description, to compare two worlds. */
function stateOf(world: World): WorldFileInput {
  const { description: _, ...state } = exportWorld(world.db, world.acme.idp);
  return state;
}

const ZOE_WORLD = {
  version: 1,
  defaultPassword: 'zoe-world-pass-2026',
  twilio: {
    users: [
      { email: 'Zoe@Custom.test', name: 'Zoe Quinn', eligible: true },
      { email: 'yan@custom.test', name: 'Yan Li', eligible: false, password: 'yan-own-pass-2026' },
    ],
  },
  segment: {
    users: [{ email: 'zoe@custom.test', name: 'Zoe Quinn', linkedTo: 'zoe@custom.test' }],
    workspaces: [{ id: 'ws_zoe', name: 'Zoe Works', members: [{ email: 'zoe@custom.test', role: 'Owner' }] }],
  },
};

describe('the demo world file', () => {
  it('is what the built-in seed writes, with the ids and credentials the tests and README name', async () => {
    expect(stateOf(await worldFrom())).toEqual(stateOf(await worldFrom(demoFile)));
    expect(DEMO_WORLD.segment.workspaces.map((w) => w.id)).toEqual([
      DEMO_IDS.adaAnalytics,
      DEMO_IDS.benCo,
      DEMO_IDS.acmeMarketing,
    ]);
    expect(DEMO_WORLD.sendgrid.accounts.map((a) => a.id)).toEqual([DEMO_IDS.franksMail]);
    expect(DEMO_WORLD.organizations[0]).toMatchObject({ id: DEMO_IDS.acme, scimApps: [ACME_SCIM_APP] });
  });

  it('has a published JSON Schema that is the one generated from the checker (npm run world-schema)', () => {
    const published = JSON.parse(readFileSync('docs/world.schema.json', 'utf8'));
    expect(published).toEqual(worldFileJsonSchema());
    expect(demoFile.$schema).toBe('../../docs/world.schema.json');
    expect(published.properties.twilio.properties.users.items.properties.password.description).toMatch(/in clear/i);
  });
});

describe('a world from a file', () => {
  it("signs in a custom persona with the file's default password, and keeps her Segment link", async () => {
    const world = await worldFrom(ZOE_WORLD);
    await world.listen();
    const { tokens } = await signInAsExtension(world, { email: 'zoe@custom.test', password: 'zoe-world-pass-2026' });
    const me = await localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await me.json()).toMatchObject({ email: 'zoe@custom.test', name: 'Zoe Quinn' });
    expect(world.users.findByEmail('ada@example.com')).toBeUndefined();
    const zoe = world.users.findByEmail('zoe@custom.test')!;
    expect(world.products.segment.users.findByEmail('zoe@custom.test')?.twilioSub).toBe(zoe.id);
    expect(world.users.findByEmail('yan@custom.test')?.eligible).toBe(false);
  });

  it('round-trips: exporting a world and importing that file gives the same world, without passwords', async () => {
    const demo = await worldFrom();
    const exported = exportWorld(demo.db, demo.acme.idp);
    const text = JSON.stringify(exported);
    for (const secret of ['demo-pass-2026', 'segment-pass-2026', ACME_SCIM_APP.clientSecret, '$argon2']) {
      expect(text).not.toContain(secret);
    }
    const again = await worldFrom(JSON.parse(text));
    expect(stateOf(again)).toEqual(stateOf(demo));
    const custom = await worldFrom(ZOE_WORLD);
    const customAgain = await worldFrom(exportWorld(custom.db, custom.acme.idp));
    expect(stateOf(customAgain)).toEqual(stateOf(custom));
  });
});

const GLOBEX_CERTIFICATE = (await createSigningIdentity('idp.globex.test')).certificatePem;
const GLOBEX_APP = { clientId: 'scim_globex_okta', clientSecret: 'globex-scim-secret-2026' };

/** An organization with its own IdP (not the bundled one), SCIM app and groups, and a deactivated member. */
const GLOBEX_WORLD = {
  version: 1,
  organizations: [
    {
      id: 'OR_globex',
      name: 'Globex',
      domains: [{ domain: 'globex.test', verified: true }],
      scimApps: [{ name: 'Globex Okta', ...GLOBEX_APP }],
      scimGroups: [
        { displayName: 'Engineering', externalId: '00g-eng', members: ['hank@globex.test', 'lee@globex.test'] },
        { displayName: 'Alumni', members: ['old@globex.test'] },
      ],
      sso: {
        // Bare base64, as some IdPs show it: stored (and exported) as PEM.
        identityProvider: { ...OTHER_IDP, certificates: [GLOBEX_CERTIFICATE.replace(/-----[A-Z ]+-----|\s/g, '')] },
        enforced: true,
        allowIdpInitiated: true,
      },
    },
  ],
  twilio: {
    users: [
      {
        email: 'hank@globex.test',
        name: 'Hank Scorpio',
        eligible: true,
        // As Okta provisioned him: its own id for him, and his name in parts.
        organization: {
          id: 'OR_globex',
          role: 'admin',
          externalId: '00u-hank',
          givenName: 'Hank',
          familyName: 'Scorpio',
        },
      },
      { email: 'lee@globex.test', name: 'Lee Park', eligible: true, organization: { id: 'OR_globex', role: 'member' } },
      {
        email: 'old@globex.test',
        name: 'Old Timer',
        eligible: true,
        active: false,
        organization: { id: 'OR_globex', role: 'member' },
      },
    ],
  },
};

const scimOf = async (world: World, app: { clientId: string; clientSecret: string } = ACME_SCIM_APP) =>
  scimClient(world as TestWorld, await scimToken(world as TestWorld, app));

describe("a world file's organizations", () => {
  it('connect the demo Acme to the bundled Acme IdP with SSO enforced, exported as "acme-idp"', async () => {
    const world = await worldFrom();
    expect(world.sso.connections.find(DEMO_IDS.acme)).toMatchObject({
      entityId: world.acme.idp.entityId,
      ssoUrl: world.acme.idp.ssoUrl,
      certificates: [world.acme.idp.certificatePem],
      enforced: true,
      allowIdpInitiated: false,
    });
    expect(stateOf(world).organizations?.[0]?.sso).toEqual({
      identityProvider: 'acme-idp',
      enforced: true,
      allowIdpInitiated: false,
    });
  });

  it("keep their own IdP's settings, SCIM app, groups and deactivated members, and round-trip", async () => {
    const world = await worldFrom(GLOBEX_WORLD);
    await world.listen();
    expect(world.sso.connections.find('OR_globex')).toMatchObject({
      ...OTHER_IDP,
      certificates: [GLOBEX_CERTIFICATE.replaceAll('\r\n', '\n')],
      enforced: true,
      allowIdpInitiated: true,
    });
    expect(world.users.findByEmail('old@globex.test')?.active).toBe(false);
    expect(world.users.findByEmail('lee@globex.test')?.active).toBe(true);

    // The file's clear secret is stored hashed; the SCIM app gets tokens with it and sees the groups as SCIM has them.
    const client = world.db
      .prepare(`SELECT payload FROM oidc_models WHERE model = 'Client' AND id = ?`)
      .get(GLOBEX_APP.clientId) as {
      payload: string;
    };
    expect(JSON.parse(client.payload).client_secret).toMatch(/^\$argon2id\$/);
    const scim = await scimOf(world, GLOBEX_APP);
    const groups = await scim.send('GET', '/Groups');
    expect(groups.status).toBe(200);
    expect(
      groups.body.Resources.map((g: { displayName: string; externalId?: string; members: { display: string }[] }) => ({
        displayName: g.displayName,
        externalId: g.externalId,
        members: g.members.map((m) => m.display),
      })),
    ).toEqual([
      { displayName: 'Alumni', externalId: undefined, members: ['old@globex.test'] },
      { displayName: 'Engineering', externalId: '00g-eng', members: ['hank@globex.test', 'lee@globex.test'] },
    ]);
    const old = await scim.send('GET', `/Users?filter=${encodeURIComponent('userName eq "old@globex.test"')}`);
    expect(old.body.Resources[0]).toMatchObject({ userName: 'old@globex.test', active: false });
    const hank = await scim.send('GET', `/Users?filter=${encodeURIComponent('externalId eq "00u-hank"')}`);
    expect(hank.body.Resources).toHaveLength(1);
    expect(hank.body.Resources[0]).toMatchObject({
      userName: 'hank@globex.test',
      externalId: '00u-hank',
      name: { formatted: 'Hank Scorpio', givenName: 'Hank', familyName: 'Scorpio' },
    });

    const exported = exportWorld(world.db, world.acme.idp);
    expect(JSON.stringify(exported)).not.toContain(GLOBEX_APP.clientSecret);
    expect(exported.organizations?.[0]).toMatchObject({
      sso: {
        identityProvider: { ...OTHER_IDP, certificates: [expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/)] },
      },
      scimGroups: GLOBEX_WORLD.organizations[0]!.scimGroups,
    });
    expect(exported.twilio.users).toEqual(GLOBEX_WORLD.twilio.users);
    const again = await worldFrom(exported);
    expect(stateOf(again)).toEqual(stateOf(world));
  });

  it('take the same member externalId in two organizations: it is unique per organization, as in SCIM', async () => {
    const world = await worldFrom(
      demoWith((f) => {
        f.organizations.push({ id: 'OR_globex', name: 'Globex', domains: [{ domain: 'globex.test', verified: true }] });
        f.twilio.users[6].organization.externalId = '00u-1';
        f.twilio.users.push({
          email: 'hank@globex.test',
          name: 'Hank Scorpio',
          eligible: true,
          organization: { id: 'OR_globex', role: 'member', externalId: '00u-1' },
        });
      }),
    );
    const provisioned = stateOf(world).twilio.users.filter((user) => user.organization?.externalId === '00u-1');
    expect(provisioned.map((user) => [user.email, user.organization?.id])).toEqual([
      ['sam@acme.test', DEMO_IDS.acme],
      ['hank@globex.test', 'OR_globex'],
    ]);
  });

  it("round-trip what SCIM changed: a new group, a deactivated member, a member's externalId and name", async () => {
    const world = await worldFrom();
    await world.listen();
    const scim = await scimOf(world);
    const sam = world.users.findByEmail('sam@acme.test')!;
    const sue = world.users.findByEmail('sue@acme.test')!;
    const group = await scim.send('POST', '/Groups', {
      displayName: 'Acme Marketing',
      externalId: 'entra-mkt',
      members: [{ value: sam.id }, { value: sue.id }],
    });
    expect(group.status).toBe(201);
    const patched = await scim.send('PATCH', `/Users/${sam.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patched.status).toBe(200);
    // The longest externalId SCIM takes, which the file must take too.
    const externalId = `entra-${'f'.repeat(250)}`;
    const named = await scim.send('PATCH', `/Users/${sue.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { externalId, name: { givenName: 'Sue', familyName: 'Storm' } } }],
    });
    expect(named.status).toBe(200);

    const state = stateOf(world);
    expect(state.organizations?.[0]?.scimGroups).toEqual([
      { displayName: 'Acme Marketing', externalId: 'entra-mkt', members: ['sam@acme.test', 'sue@acme.test'] },
    ]);
    expect(state.twilio.users.find((user) => user.email === 'sam@acme.test')).toMatchObject({ active: false });
    expect(state.twilio.users.find((user) => user.email === 'sue@acme.test')?.organization).toEqual({
      id: DEMO_IDS.acme,
      role: 'member',
      externalId,
      givenName: 'Sue',
      familyName: 'Storm',
    });
    const exported = JSON.parse(JSON.stringify(exportWorld(world.db, world.acme.idp)));
    // The SCIM app's secret is never exported: given back, as a tester sharing the file would.
    exported.organizations[0].scimApps[0].clientSecret = ACME_SCIM_APP.clientSecret;
    const again = await worldFrom(exported);
    await again.listen();
    expect(stateOf(again)).toEqual(state);
    expect(again.users.findByEmail('sam@acme.test')?.active).toBe(false);
    // The SCIM client finds sue again by its own id, with her name as it gave it.
    const scimAgain = await scimOf(again);
    const found = await scimAgain.send('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`);
    expect(found.body.Resources).toHaveLength(1);
    expect(found.body.Resources[0]).toMatchObject({
      userName: 'sue@acme.test',
      externalId,
      name: { givenName: 'Sue', familyName: 'Storm' },
    });
  });
});

describe('an export after SCIM deleted a user with a linked product user', () => {
  it('re-imports: the product user is exported unlinked (its Twilio user is gone), and the world round-trips', async () => {
    const world = await worldFrom(
      demoWith((f) => f.segment.users.push({ email: 'sam@acme.test', name: 'Sam Rivera', linkedTo: 'sam@acme.test' })),
    );
    await world.listen();
    const sam = world.users.findByEmail('sam@acme.test')!;
    const deleted = await (await scimOf(world)).send('DELETE', `/Users/${sam.id}`);
    expect(deleted.status).toBe(204);
    // The database keeps the link (creating sam again by SCIM brings it back); the world file cannot name sam.
    expect(world.products.segment.users.findByEmail('sam@acme.test')?.twilioSub).toBe(sam.id);

    const exported = JSON.parse(JSON.stringify(exportWorld(world.db, world.acme.idp)));
    expect(exported.twilio.users.map((user: { email: string }) => user.email)).not.toContain('sam@acme.test');
    expect(exported.segment.users.at(-1)).toEqual({ email: 'sam@acme.test', name: 'Sam Rivera' });
    expect(checkWorldFile(exported)).toMatchObject({ ok: true });
    exported.organizations[0].scimApps[0].clientSecret = ACME_SCIM_APP.clientSecret;
    const again = await worldFrom(exported);
    expect(stateOf(again)).toEqual(stateOf(world));
    expect(again.products.segment.users.findByEmail('sam@acme.test')?.twilioSub).toBeUndefined();
  });
});

describe('a world file a product world can hold', () => {
  // The Console reaches this state (a domain verified, then SSO enforced, while a user of it is no member), so an
  // export holding it must load again; such a user's sign-in is sent to the IdP and refused there.
  it('takes a Twilio user outside the organization whose verified domain enforces SSO', () => {
    const file = demoWith((f) => {
      f.twilio.users.push({ email: 'zed@acme.test', name: 'Zed', eligible: true, password: 'zed-pass-2026' });
    });
    expect(checkWorldFile(file)).toMatchObject({ ok: true });
  });
});

describe('an invalid world file', () => {
  it.each(INVALID_FILES)('with %s is refused, naming each problem by its path', (_kind, file, problems) => {
    expect(checkWorldFile(file)).toEqual({ ok: false, problems });
  });

  it('names every problem at once', () => {
    const file = demoWith((f) => {
      f.segment.users[2].email = 'nope';
      f.sendgrid.users[0].name = '';
    });
    expect(checkWorldFile(file)).toEqual({
      ok: false,
      problems: ['segment.users[2].email: not an email', 'sendgrid.users[0].name: the name is empty'],
    });
  });
});
