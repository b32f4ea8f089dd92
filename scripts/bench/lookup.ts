/**
 * The email lookup's figures: throughput against the discovery endpoint of the same server, and latency
 * percentiles from sequential requests (precise to the microsecond), on a world of 100 or 100 000 product users.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { LOOKUP_PATH } from '../../contract/api';
import { HOSTS } from '../../contract/catalogue';
import { createWorld } from '../../mock-server/app';
import { percentile } from './browser-timings';

/** The three answers the lookup must not tell apart: unknown, product-only (frank) and unified (ada). */
const BODIES = [
  { email: 'nobody@example.org', product: 'segment' },
  { email: 'frank@example.net', product: 'sendgrid' },
  { email: 'ada@example.com', product: 'segment' },
].map((body) => JSON.stringify(body));

const headers = (port: number) => ({
  host: `${HOSTS.login}:${port}`,
  'content-type': 'application/json',
  origin: `http://${HOSTS.segment}:${port}`,
});

export async function lookupThroughput(port: number, seconds = 5) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 10,
    duration: seconds,
    requests: BODIES.map((body) => ({ method: 'POST', path: LOOKUP_PATH, headers: headers(port), body })),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`lookup: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99 };
}

/** `count` sequential lookups over one keep-alive connection; per-answer medians and overall p50/p99 in ms. */
export async function lookupLatency(port: number, count = 3000) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port, path: LOOKUP_PATH, method: 'POST', agent, headers: headers(port) },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`lookup answered ${res.statusCode}`));
            else resolve(Number(process.hrtime.bigint() - started) / 1e6);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 200; i += 1) await post(BODIES[i % 3]!); // warm-up
  const all: number[] = [];
  const perAnswer: number[][] = [[], [], []];
  for (let i = 0; i < count; i += 1) {
    const ms = await post(BODIES[i % 3]!);
    all.push(ms);
    perAnswer[i % 3]!.push(ms);
  }
  agent.destroy();
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return {
    requests: count,
    p50Ms: r(percentile(all, 50)),
    p99Ms: r(percentile(all, 99)),
    medianByAnswerMs: {
      unknown: r(percentile(perAnswer[0]!, 50)),
      productOnly: r(percentile(perAnswer[1]!, 50)),
      unified: r(percentile(perAnswer[2]!, 50)),
    },
  };
}

/** A world database with the demo world plus `extra` Segment-only users (one transaction, no hashing). */
export async function seedWorldWithUsers(dbPath: string, extra: number): Promise<void> {
  const world = await createWorld({ port: 1, db: dbPath, reset: true });
  const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$bench$bench'; // never verified: these users only exist
  world.db.transaction(() => {
    for (let i = 0; i < extra; i += 1) {
      world.products.segment.users.create({ email: `user${i}@bench.example`, name: `User ${i}`, passwordHash });
    }
  })();
  await world.close();
}
