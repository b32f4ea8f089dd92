/**
 * SCIM figures: p99 of creating a user (POST /Users) and of a filtered list (`userName eq` and `externalId eq`,
 * as Okta and Entra look users up) on a world whose organization has 100 or 100 000 users, sequential requests on
 * one keep-alive connection; and the server's RSS with 100 000 users after the run.
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

async function scimLatency(port: number, users: number, count = 1000) {
  const http = client(port);
  try {
    const basic = Buffer.from(`${ACME_SCIM_APP.clientId}:${ACME_SCIM_APP.clientSecret}`).toString('base64');
    const token = await http.send(
      'POST',
      '/token',
      { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials&scope=scim',
    );
    const auth = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}` };
    const scimJson = { ...auth, 'content-type': 'application/scim+json' };

    const create = async (i: number) => {
      const email = `bench${i}-${users}@acme.test`;
      const body = JSON.stringify({ userName: email, emails: [{ value: email, primary: true }], externalId: `b${i}` });
      const answer = await http.send('POST', `${SCIM_BASE_PATH}/Users`, scimJson, body);
      if (answer.status !== 201) throw new Error(`SCIM create answered ${answer.status}: ${answer.body}`);
      return answer.ms;
    };
    const list = async (i: number) => {
      const n = (i * 7919) % Math.max(users, 1);
      const filter = i % 2 === 0 ? `userName eq "user${n}@acme.test"` : `externalId eq "ext${n}"`;
      const answer = await http.send('GET', `${SCIM_BASE_PATH}/Users?filter=${encodeURIComponent(filter)}`, auth);
      if (answer.status !== 200) throw new Error(`SCIM list answered ${answer.status}: ${answer.body}`);
      return answer.ms;
    };
    for (let i = 0; i < 100; i += 1) await list(i); // warm-up
    const creates: number[] = [];
    const lists: number[] = [];
    for (let i = 0; i < count; i += 1) creates.push(await create(i));
    for (let i = 0; i < count; i += 1) lists.push(await list(i));
    const r = (n: number) => Math.round(n * 1000) / 1000;
    return {
      requests: count,
      createP50Ms: r(percentile(creates, 50)),
      createP99Ms: r(percentile(creates, 99)),
      filteredListP50Ms: r(percentile(lists, 50)),
      filteredListP99Ms: r(percentile(lists, 99)),
    };
  } finally {
    http.close();
  }
}

/** Runs the SCIM figures on worlds of 100 and 100 000 Acme users (the compiled server, as `npm run server`). */
export async function measureScim(serverScript = 'dist-server/main.js') {
  const scale: Record<number, Awaited<ReturnType<typeof scimLatency>>> = {};
  let rss100kMb = 0;
  for (const users of [100, 100_000]) {
    const dbPath = join(tmpdir(), `uls-bench-scim-${users}.db`);
    await seedWorldWithAcmeUsers(dbPath, users);
    const port = await freePort();
    const server = await startNode(serverScript, ['--port', String(port), '--db', dbPath]);
    try {
      scale[users] = await scimLatency(port, users);
      if (users === 100_000) rss100kMb = rssMb(server.process.pid!);
    } finally {
      await server.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    }
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
