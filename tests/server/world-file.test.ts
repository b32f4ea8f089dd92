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
import { ACME_SCIM_APP, DEMO_IDS, DEMO_WORLD } from '../../mock-server/seed';
import { checkWorldFile } from '../../mock-server/world-file/check';
import { exportWorld } from '../../mock-server/world-file/export';
import { worldFileJsonSchema } from '../../mock-server/world-file/json-schema';
import type { WorldFileInput } from '../../mock-server/world-file/schema';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { DEMO_FILE as demoFile, demoWith, INVALID_FILES } from './world-files';

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
  const { description: _, ...state } = exportWorld(world.db);
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
    const exported = exportWorld(demo.db);
    const text = JSON.stringify(exported);
    for (const secret of ['demo-pass-2026', 'segment-pass-2026', ACME_SCIM_APP.clientSecret, '$argon2']) {
      expect(text).not.toContain(secret);
    }
    const again = await worldFrom(JSON.parse(text));
    expect(stateOf(again)).toEqual(stateOf(demo));
    const custom = await worldFrom(ZOE_WORLD);
    expect(stateOf(await worldFrom(exportWorld(custom.db)))).toEqual(stateOf(custom));
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
