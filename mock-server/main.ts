/**
 * `npm run server -- [--port 8787] [--db data/world.db] [--reset] [--world FILE] [--export-world FILE]`: starts the
 * mock world on one port and prints its sites. The port also comes from `PORT`; `--db :memory:` keeps nothing;
 * `--reset` reseeds the demo world; `--world` starts afresh from a world file; `--export-world` writes the world to a
 * file and exits.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HOSTS, type Site } from '../contract/catalogue';
import { ACME_IDP_PASSWORD } from './acme-idp/directory';
import { createWorld } from './app';
import { bindPort } from './http-server';
import { portSetting } from './port-setting';
import { ACME_SCIM_APP, DEMO_PASSWORD, DEMO_TWILIO_USERS, SEGMENT_DEMO_PASSWORD, SENDGRID_DEMO_PASSWORD } from './seed';
import { DatabaseUnusable, IN_MEMORY } from './storage/database';
import { loadWorldFlag, someEmails, WorldExportUnwritable, worldBanner, writeWorldExport } from './world-file/cli';
import { seededFrom } from './world-file/import';

const SITE_LABELS: Record<Site, string> = {
  login: 'Twilio login (OpenID Provider)',
  console: 'Twilio Console',
  segment: 'Segment',
  sendgrid: 'SendGrid',
  acme: 'Acme IdP (SAML, for SSO)',
};

function fail(message: string): never {
  console.error(`mock-server: ${message}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        db: { type: 'string', default: 'data/world.db' },
        reset: { type: 'boolean', default: false },
        'lookup-limit': { type: 'string' },
        world: { type: 'string' },
        'export-world': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();

if (values.help) {
  console.log(
    'Usage: npm run server -- [--port 8787] [--db data/world.db | :memory:] [--reset] [--world FILE]\n' +
      '                         [--export-world FILE] [--lookup-limit N (load tests)]',
  );
  process.exit(0);
}

const portRead = portSetting(values.port, process.env.PORT);
if (!portRead.ok) fail(portRead.problem);
const port = portRead.port;

const lookupLimit = values['lookup-limit'] === undefined ? undefined : Number(values['lookup-limit']);
if (lookupLimit !== undefined && !(Number.isInteger(lookupLimit) && lookupLimit > 0)) {
  fail(`invalid --lookup-limit "${values['lookup-limit']}" (a whole number of lookups per minute)`);
}
// A world file is checked before anything starts or is written; it replaces the database's contents.
const worldFile = values.world === undefined ? undefined : loadWorldFlag(values.world);
if (worldFile && 'refusal' in worldFile) fail(worldFile.refusal);

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// The port first: a start that fails on a busy port creates nothing.
const server = await bindPort(port).catch((error: unknown) =>
  fail(`cannot listen on 127.0.0.1:${port} (${message(error)})`),
);
if (values.db !== IN_MEMORY && !existsSync(values.db)) {
  const what = values.world === undefined ? 'demo world' : `world from ${values.world}`;
  console.log(`mock-server: creating a new ${what} at ${values.db}`);
}
const world = await createWorld({
  port,
  db: values.db,
  reset: values.reset || worldFile !== undefined,
  ...(worldFile ? { world: worldFile.world } : {}),
  server,
  ...(lookupLimit ? { lookupLimitPerMinute: lookupLimit } : {}),
}).catch((error: unknown) => {
  server.close();
  return fail(error instanceof DatabaseUnusable ? error.message : `could not start the mock world: ${message(error)}`);
});
if (values['export-world'] !== undefined) {
  try {
    writeWorldExport(world.db, world.acme.idp, values['export-world']);
  } catch (error) {
    await world.close();
    fail(
      error instanceof WorldExportUnwritable
        ? error.message
        : `cannot write ${values['export-world']} (${message(error)})`,
    );
  }
  console.log(`Wrote the world to ${values['export-world']} (no passwords or secrets).`);
  await world.close();
  process.exit(0);
}

await world.listen();

// Before "ready": whoever waits for it may signal at once.
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the mock world (finishing requests in flight)…`);
  await world.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const width = Math.max(...Object.values(SITE_LABELS).map((label) => label.length));
const rows = (Object.keys(HOSTS) as Site[]).map((site) => `  ${SITE_LABELS[site].padEnd(width)}  ${world.urls[site]}`);
// A database a world file seeded keeps that world when started without --world: its users, not the demo's.
const fileUsers = () =>
  someEmails(
    (world.db.prepare('SELECT email FROM users ORDER BY rowid').all() as { email: string }[]).map((u) => u.email),
  );
const people = worldFile
  ? worldBanner(values.world!, worldFile.world, world.generatedScimCredentials)
  : seededFrom(world.db) === 'file'
    ? `  World: seeded from a world file (Twilio users: ${fileUsers()})`
    : `  Demo users: ${DEMO_TWILIO_USERS.map((user) => user.email).join(', ')}
  Password: ${DEMO_PASSWORD} (eve@example.com also needs a TOTP code; secret JBSWY3DPEHPK3PXP)
  Segment: ada@example.com is linked (Twilio login only); ben@example.com has password ${SEGMENT_DEMO_PASSWORD} until linked
  SendGrid: frank@example.net, password ${SENDGRID_DEMO_PASSWORD} (SendGrid-only user)
  Acme (acme.test): sam, sue and ida@acme.test sign in by SSO at the Acme IdP (tom@acme.test exists only there),
    Acme IdP password ${ACME_IDP_PASSWORD}; SCIM app ${ACME_SCIM_APP.clientId} / ${ACME_SCIM_APP.clientSecret}`;
console.log(`Mock world (database: ${values.db})
${rows.join('\n')}

${people}
  Dev mailbox (verification links, security notices): ${world.urls.login}/dev/mailbox
ready on port ${port}`);
