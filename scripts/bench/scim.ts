/**
 * SCIM figures: p99 of creating a user (POST /Users) and of a filtered list (`userName eq` and `externalId eq`,
 * as Okta and Entra look users up) on two worlds whose organization has 100 and 100 000 users, running side by side
 * with their requests alternating, each world's sequential on one keep-alive connection; and the RSS of the
 * 100 000-user server after the run.
 */
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTS } from '../../contract/catalogue';
import { UNUSABLE_PASSWORD_HASH } from '../../mock-server/accounts/passwords';
import { createWorld } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { SCIM_BASE_PATH } from '../../mock-server/scim/routes';
import { ACME_SCIM_APP, DEMO_IDS } from '../../mock-server/seed';
import { percentile } from './browser-timings';
import { rssMb, startNode } from './server';

/** A world database with the demo world plus `extra` Acme users, as SCIM would have provisioned them. */
async function seedWorldWithAcmeUsers(dbPath: string, extra: number): Promise<void> {
  const world = await createWorld({ port: 1, db: dbPath, reset: true });
  const insert = world.db.prepare(
    `INSERT INTO users (id, email, name, password_hash, eligible, created_at, organization_id, organization_role,
       external_id) VALUES (?, ?, ?, ?, 1, ?, ?, 'member', ?)`,
  );
  world.db.transaction(() => {
    for (let i = 0; i < extra; i += 1) {
      const hex = i.toString(16).padStart(32, '0');
      insert.run(
        `US${hex}`,
        `user${i}@acme.test`,
        `User ${i}`,
        UNUSABLE_PASSWORD_HASH,
        Date.now(),
        DEMO_IDS.acme,
        `ext${i}`,
      );
    }
  })();
  await world.close();
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function client(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port, path, method, agent, headers: { host: `${HOSTS.login}:${port}`, ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** A SCIM client of one world: a token for the demo app, then create and filtered-list requests that time themselves. */
async function scimClient(port: number, users: number) {
  const http = client(port);
  const basic = Buffer.from(`${ACME_SCIM_APP.clientId}:${ACME_SCIM_APP.clientSecret}`).toString('base64');
  const token = await http.send(
    'POST',
    '/token',
    { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    'grant_type=client_credentials&scope=scim',
  );
  const auth = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}` };
  const scimJson = { ...auth, 'content-type': 'application/scim+json' };
  return {
    users,
    close: http.close,
    create: async (i: number) => {
      const email = `bench${i}-${users}@acme.test`;
      const body = JSON.stringify({ userName: email, emails: [{ value: email, primary: true }], externalId: `b${i}` });
      const answer = await http.send('POST', `${SCIM_BASE_PATH}/Users`, scimJson, body);
      if (answer.status !== 201) throw new Error(`SCIM create answered ${answer.status}: ${answer.body}`);
      return answer.ms;
    },
    list: async (i: number) => {
      const n = (i * 7919) % Math.max(users, 1);
      const filter = i % 2 === 0 ? `userName eq "user${n}@acme.test"` : `externalId eq "ext${n}"`;
      const answer = await http.send('GET', `${SCIM_BASE_PATH}/Users?filter=${encodeURIComponent(filter)}`, auth);
      if (answer.status !== 200) throw new Error(`SCIM list answered ${answer.status}: ${answer.body}`);
      return answer.ms;
    },
  };
}

type ScimClient = Awaited<ReturnType<typeof scimClient>>;

/**
 * Both worlds' requests alternate, one to each in turn, so whatever else the machine does at a moment lands on
 * both scales alike and the ratio compares the scales, not two stretches of time.
 */
async function interleavedLatency(worlds: ScimClient[], count = 1000) {
  const creates = worlds.map((): number[] => []);
  const lists = worlds.map((): number[] => []);
  for (let i = 0; i < 100; i += 1) for (const world of worlds) await world.list(i); // warm-up
  for (let i = 0; i < count; i += 1) for (const [w, world] of worlds.entries()) creates[w]!.push(await world.create(i));
  for (let i = 0; i < count; i += 1) for (const [w, world] of worlds.entries()) lists[w]!.push(await world.list(i));
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return worlds.map((_, w) => ({
    requests: count,
    createP50Ms: r(percentile(creates[w]!, 50)),
    createP99Ms: r(percentile(creates[w]!, 99)),
    filteredListP50Ms: r(percentile(lists[w]!, 50)),
    filteredListP99Ms: r(percentile(lists[w]!, 99)),
  }));
}

/** Runs the SCIM figures on worlds of 100 and 100 000 Acme users (the compiled server, as `npm run server`). */
export async function measureScim(serverScript = 'dist-server/main.js') {
  const sizes = [100, 100_000] as const;
  const dbPaths = sizes.map((users) => join(tmpdir(), `uls-bench-scim-${users}.db`));
  for (const [index, users] of sizes.entries()) await seedWorldWithAcmeUsers(dbPaths[index]!, users);
  const servers = [];
  const clients: ScimClient[] = [];
  let rss100kMb = 0;
  const scale: Record<number, Awaited<ReturnType<typeof interleavedLatency>>[number]> = {};
  try {
    for (const [index, users] of sizes.entries()) {
      const port = await freePort();
      servers.push(await startNode(serverScript, ['--port', String(port), '--db', dbPaths[index]!]));
      clients.push(await scimClient(port, users));
    }
    const results = await interleavedLatency(clients);
    for (const [index, users] of sizes.entries()) scale[users] = results[index]!;
    rss100kMb = rssMb(servers[1]!.process.pid!);
  } finally {
    for (const client of clients) client.close();
    for (const server of servers) await server.close();
    for (const dbPath of dbPaths)
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  }
  const ratio = (key: 'createP99Ms' | 'filteredListP99Ms') =>
    Math.round((scale[100_000]![key] / scale[100]![key]) * 100) / 100;
  return {
    users100: scale[100],
    users100k: scale[100_000],
    createP99Ratio100kTo100: ratio('createP99Ms'),
    filteredListP99Ratio100kTo100: ratio('filteredListP99Ms'),
    rssWith100kUsersMb: rss100kMb,
    target:
      'p99 of create and filtered list with 100 000 users within 1.2× of 100 users; RSS with 100 000 users ≤ 250 MB',
  };
}
