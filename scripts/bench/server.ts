/**
 * Server figures: discovery throughput of our world against a bare oidc-provider in the same run (alternating rounds,
 * medians of their ratios: `compareDiscovery`), refresh-token grants and password logins per server CPU-second, and
 * the idle RSS of the server process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type * as oidc from 'openid-client';
import {
  EXTENSION_CLIENT_ID,
  EXTENSION_REDIRECT_URI,
  EXTENSION_REFRESH_SCOPE,
  EXTENSION_SCOPE,
  HOSTS,
} from '../../contract/catalogue';
import { hashPassword, verifyPassword } from '../../mock-server/accounts/passwords';
import { freePort } from '../../mock-server/net';
import { DEMO_PASSWORD } from '../../mock-server/seed';
import type { HeadlessBrowser } from '../lib/headless-browser';
import { extensionClient, signInWithCode } from '../lib/oidc-clients';
import { figuresOf, inRotation, median, type Rate } from './rounds';

/** The demo users the login figures sign in, in turn. */
const LOGIN_USERS = ['ada@example.com', 'ben@example.com', 'cleo@example.com'];

/** The extension's OIDC client of the world (or bare provider) on `port`. */
export const extensionClientAt = (port: number) => extensionClient({ issuer: `http://${HOSTS.login}:${port}` });

/** The `n`th of `LOGIN_USERS` (in turn) signed in as the extension: code flow + PKCE, the extension's scope. */
export const signInLoginUser = (config: oidc.Configuration, n: number, browser?: HeadlessBrowser) =>
  signInWithCode(
    config,
    { email: LOGIN_USERS[n % LOGIN_USERS.length]!, password: DEMO_PASSWORD },
    { redirectUri: EXTENSION_REDIRECT_URI, scope: EXTENSION_SCOPE, ...(browser ? { browser } : {}) },
  );

/** Connections of the load generator, for discovery and refresh grants alike. */
const CONNECTIONS = 10;

/** The request every throughput figure is compared with. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

export interface Child {
  process: ChildProcess;
  close(): Promise<void>;
}

/** Starts `node <script> ...args` (a .ts script through tsx) and resolves when it prints "ready". */
export function startNode(script: string, args: string[]): Promise<Child> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      child.removeAllListeners('exit');
      resolve({
        process: child,
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Resident set size of a process, from /proc. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D/g, '')) / 1024);
}

/**
 * Requests per second and latency of GET `path` on the login host at `port` (autocannon sets Host itself); with
 * the server's `pid`, also requests per CPU-second of the server process.
 */
export async function throughput(port: number, path: string, seconds = 5, pid?: number) {
  const cpuBefore = pid === undefined ? 0 : cpuSeconds(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers: { host: `${HOSTS.login}:${port}` },
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const serverCpu = pid === undefined ? 0 : cpuSeconds(pid) - cpuBefore;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    ...(pid === undefined ? {} : { requestsPerServerCpuSecond: Math.round(result.requests.total / serverCpu) }),
  };
}

/** A server process under measurement: its port and pid. */
export interface Measured {
  port: number;
  pid: number;
}

/** Seconds of discovery each server answers, uncounted, before the rounds: V8 has optimised the path by then. */
const DISCOVERY_WARM_UP_SECONDS = 5;

/** A server process under measurement, started afresh: its port and pid, and how to stop it. */
export type StartServer = () => Promise<Measured & { close(): Promise<void> }>;

/** `node <script> --port-or-arg…` as a `StartServer`: a free port, `args(port)`, ready when it says so. */
export function startServer(script: string, args: (port: number) => string[]): StartServer {
  return async () => {
    const port = await freePort();
    const child = await startNode(script, args(port));
    return { port, pid: child.process.pid!, close: child.close };
  };
}

/**
 * Our discovery against the bare provider's, measured so that a shared, noisy machine weighs on both alike:
 * - `starts` times, a fresh process of ours and two fresh bare providers: one process can run faster or slower than
 *   an identical one for its whole life (five starts of one trial build of ours read from 0.82 to 0.99 of the bare
 *   ones), so a figure from one start is one draw of that;
 * - each server gets `DISCOVERY_WARM_UP_SECONDS` uncounted first, so the figures are steady rates: a server still
 *   warming up answers well below its steady rate for its first seconds, and the JIT's compilations land on neither;
 * - then `roundsPerStart` rounds, each measuring every server for `seconds`, back to back, in rotating order
 *   (`inRotation`: three rounds give each server each place once);
 * - each round gives two ratios, requests per second and requests per server CPU-second (the per-core figure, less
 *   moved by the load generator and other processes sharing the cores); the figures are the medians of all starts'
 *   rounds' ratios, so one disturbed round or start moves them little; each start's own median is reported too.
 * - The baseline of each round is the mean of the two bare providers, which moves less with one process's luck than
 *   either; the same ratios between the two bare ones (`noise`) show how far apart two identical ones ran.
 */
export async function compareDiscovery(
  startOurs: StartServer,
  startBare: StartServer,
  { starts = 4, roundsPerStart = 3, seconds = 3 } = {},
) {
  const rate = (result: Awaited<ReturnType<typeof throughput>>): Rate => ({
    perSecond: result.requestsPerSecond,
    perCpu: result.requestsPerServerCpuSecond!,
  });
  // Each round's rates: [ours, bare, identical bare, the mean of the two bare ones (the baseline)].
  const withBaseline = (run: readonly Awaited<ReturnType<typeof throughput>>[]): Rate[] => {
    const [o, b, i] = run.map(rate) as [Rate, Rate, Rate];
    return [o, b, i, { perSecond: (b.perSecond + i.perSecond) / 2, perCpu: (b.perCpu + i.perCpu) / 2 }];
  };
  const runs: Awaited<ReturnType<typeof throughput>>[][] = [];
  const byStart: number[] = [];
  for (let start = 0; start < starts; start += 1) {
    const servers = [await startOurs(), await startBare(), await startBare()];
    try {
      for (const server of servers) await throughput(server.port, DISCOVERY_PATH, DISCOVERY_WARM_UP_SECONDS);
      const measure = (server: Measured) => () => throughput(server.port, DISCOVERY_PATH, seconds, server.pid);
      const these = await inRotation(roundsPerStart, servers.map(measure));
      runs.push(...these);
      byStart.push(figuresOf(these.map(withBaseline)).ratio(0, 3));
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  }
  const { perSecond, perCpu, ratio } = figuresOf(runs.map(withBaseline));
  const [OURS, BARE, IDENTICAL, BASELINE] = [0, 1, 2, 3];
  return {
    starts,
    roundsPerStart,
    secondsPerRun: seconds,
    warmUpSeconds: DISCOVERY_WARM_UP_SECONDS,
    oursRequestsPerSecond: perSecond(OURS),
    bareOidcProviderRequestsPerSecond: perSecond(BASELINE),
    ratio: ratio(OURS, BASELINE, 'perSecond'),
    oursRequestsPerServerCpuSecond: perCpu(OURS),
    bareRequestsPerServerCpuSecond: perCpu(BASELINE),
    ratioPerCpu: ratio(OURS, BASELINE),
    ratioPerCpuToEachBare: [ratio(OURS, BARE), ratio(OURS, IDENTICAL)],
    ratioPerCpuByStart: byStart,
    oursBestRequestsPerSecond: Math.max(...runs.map(([o]) => o!.requestsPerSecond)),
    bareBestRequestsPerSecond: Math.max(...runs.flatMap(([, b, i]) => [b!.requestsPerSecond, i!.requestsPerSecond])),
    oursP99Ms: median(runs.map(([o]) => o!.p99Ms)),
    noise: {
      bareAgainstIdenticalBareRatio: ratio(IDENTICAL, BARE, 'perSecond'),
      bareAgainstIdenticalBareRatioPerCpu: ratio(IDENTICAL, BARE),
      note: 'the second bare provider against the first, in the same rounds: how far apart two identical ones ran',
    },
  };
}

/**
 * Logins the server answers, at the bench's concurrency, before the login figure starts counting: enough for V8 to
 * have optimised the login path, so the figure is the steady rate, as discovery's and the refresh grants' (each
 * measured after thousands of requests). With a few dozen, the server still spends ≈ 2.5 ms of compiler threads and
 * unoptimised code per login (≈ 0.6 of the argon2id floor instead of ≈ 0.7 a few hundred logins later).
 */
const WARM_UP_LOGINS = 400;

/**
 * Refresh grants in each round of the refresh figures, a number rather than seconds: every grant stores two tokens
 * (and keeps the rotated one, consumed, for reuse detection), and a grant costs more as the world holds more of them
 * (SQLite's random-key index outgrows the caches: on one world, three comparisons in a row read 0.29, 0.24 and 0.18
 * of discovery). Rounds of seconds stored three times as many tokens on a machine three times as fast, so the figure
 * depended on the machine; rounds of grants store the same on every machine. 3 000 is what a round of 3 seconds was
 * on the machines these figures were first measured on.
 */
const GRANTS_PER_ROUND = 3_000;

/**
 * `grants` refresh-token grants as the extension's client (a public client: each grant rotates the refresh token),
 * driven like discovery — autocannon, `CONNECTIONS` keep-alive connections — so the two per-CPU figures differ only
 * in the request (a heavier client on the same two cores raises the server's CPU per request: the same server took
 * ≈ 1.8 ms per grant instead of ≈ 1.0 ms from a client spending 2 ms on each). Each connection runs one chain: it
 * takes a refresh token from the pool and puts back the one the grant returns. Each grant sends `scope`: by default
 * the extension's own (`EXTENSION_REFRESH_SCOPE`, no new ID token); `EXTENSION_SCOPE` asks for a new ID token, as a
 * client re-sending `openid` does. Reports grants per CPU-second of the server.
 */
async function refreshRate(port: number, serverPid: number, grants: number, scope = EXTENSION_REFRESH_SCOPE) {
  const config = await extensionClientAt(port);
  // Each run signs in anew, so every round starts from the same ten fresh chains.
  const signIns = await Promise.all(Array.from({ length: CONNECTIONS }, () => signInLoginUser(config, 0)));
  const pool = signIns.map(({ tokens }) => tokens.refresh_token!);
  const cpuBefore = cpuSeconds(serverPid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/token`,
    connections: CONNECTIONS,
    amount: grants,
    requests: [
      {
        method: 'POST',
        headers: {
          host: `${HOSTS.login}:${port}`,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        setupRequest: (request) => {
          const refreshToken = pool.shift();
          if (!refreshToken) throw new Error('a refresh grant failed: its chain has no token left');
          const body = new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: EXTENSION_CLIENT_ID,
            scope,
          });
          return { ...request, body: body.toString() };
        },
        onResponse: (status, body) => {
          if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
        },
      },
    ],
  });
  const serverCpu = cpuSeconds(serverPid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`refresh grants: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    grants: result.requests.total,
    connections: CONNECTIONS,
    grantsPerSecond: Math.round(result.requests.average),
    grantsPerServerCpuSecond: Math.round(result.requests.total / serverCpu),
  };
}

/**
 * Refresh grants per server CPU-second against discovery requests per CPU-second of the same world: after an
 * uncounted warm-up of each (a second of discovery, a third of a round of grants), `rounds` rounds measure
 * `GRANTS_PER_ROUND` grants and `seconds` of discovery, back to back, in rotation (`inRotation`), and the ratio is the
 * median of the rounds' ratios (as `compareDiscovery`), so the two figures come from the same moments of the run and
 * the same state of the world rather than from its start and its middle. The grants send `scope` (see
 * `refreshRate`).
 *
 * With `bare` (bare-provider.ts `--login`: the library with the world's storage adapter, client and refresh-token
 * rules, nothing else of ours), its grants and its discovery are measured in the same rounds: its own ratio is what
 * the library reaches on this machine and storage (ours differs from it by our discovery as much as by our grants),
 * and ours against its grants says whether a grant costs us more than it costs the library.
 */
export async function compareRefreshWithDiscovery(
  world: Measured,
  { scope = EXTENSION_REFRESH_SCOPE, bare }: { scope?: string; bare?: Measured } = {},
  rounds = 8,
  seconds = 3,
) {
  const sides = bare ? [world, bare] : [world];
  for (const side of sides) {
    await throughput(side.port, DISCOVERY_PATH, 1);
    await refreshRate(side.port, side.pid, GRANTS_PER_ROUND / 3, scope);
  }
  const grantsOn = (side: Measured) => async (): Promise<Rate> => {
    const result = await refreshRate(side.port, side.pid, GRANTS_PER_ROUND, scope);
    return { perSecond: result.grantsPerSecond, perCpu: result.grantsPerServerCpuSecond };
  };
  const discoveryOn = (side: Measured) => async (): Promise<Rate> => {
    const result = await throughput(side.port, DISCOVERY_PATH, seconds, side.pid);
    return { perSecond: result.requestsPerSecond, perCpu: result.requestsPerServerCpuSecond! };
  };
  // Each round: [our grants, our discovery, the bare grants, the bare discovery].
  const runs = await inRotation(
    rounds,
    sides.flatMap((side) => [grantsOn(side), discoveryOn(side)]),
  );
  const { perSecond, perCpu, ratio } = figuresOf(runs);
  return {
    scope,
    rounds,
    grantsPerRound: GRANTS_PER_ROUND,
    secondsPerRun: seconds,
    connections: CONNECTIONS,
    grantsPerSecond: perSecond(0),
    grantsPerServerCpuSecond: perCpu(0),
    discoveryRequestsPerServerCpuSecond: perCpu(1),
    ratioToDiscoveryPerCpu: ratio(0, 1),
    ...(bare
      ? {
          bareLibrary: {
            grantsPerServerCpuSecond: perCpu(2),
            discoveryRequestsPerServerCpuSecond: perCpu(3),
            ratioToDiscoveryPerCpu: ratio(2, 3),
            oursAgainstBareGrantsPerCpu: ratio(0, 2),
            note: "bare-provider.ts --login in the same rounds: the library on the world's storage adapter and refresh rules, nothing else of ours; its ratio is the library's own on this machine and storage",
          },
        }
      : {}),
  };
}

/**
 * The floor of a password login: bare argon2id verifications (the world's own `verifyPassword`, OWASP costs) per
 * CPU-second of this process, `concurrency` at a time like the login bench.
 */
async function argon2Rate(total = 80, concurrency = 6) {
  const hash = await hashPassword(DEMO_PASSWORD);
  await verifyPassword(hash, DEMO_PASSWORD);
  let next = 0;
  const started = performance.now();
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        await verifyPassword(hash, DEMO_PASSWORD);
      }
    }),
  );
  const used = process.cpuUsage(before);
  const cpu = (used.user + used.system) / 1e6;
  const seconds = (performance.now() - started) / 1000;
  return {
    verifications: total,
    verificationsPerSecond: Math.round((total / seconds) * 10) / 10,
    verificationsPerCpuSecond: Math.round((total / cpu) * 10) / 10,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `total` full code + PKCE flows as the extension's client (authorize, login page, password check, code, token
 * exchange), `concurrency` at a time. Besides the wall-clock rate it reports logins per CPU-second of the server process:
 * the per-core figure, unaffected by the load generator sharing the machine's two cores.
 */
async function loginRate(port: number, serverPid: number, total = 80, concurrency = 6) {
  const config = await extensionClientAt(port);
  let next = 0;
  const cpuBefore = cpuSeconds(serverPid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await signInLoginUser(config, next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(serverPid) - cpuBefore;
  return {
    logins: total,
    concurrency,
    loginsPerSecond: Math.round((total / seconds) * 10) / 10,
    serverCpuSecondsPerLogin: Math.round((serverCpu / total) * 10000) / 10000,
    loginsPerServerCpuSecond: Math.round((total / serverCpu) * 10) / 10,
  };
}

/**
 * Logins per server CPU-second against the argon2id floor, measured so that a shared, noisy machine weighs on both
 * alike: after the login warm-up, `rounds` rounds each measure `total` logins and `total` bare verifications back to
 * back, in rotation; the ratio is the median of the rounds' ratios, each side's figure the median of its rounds.
 *
 * The bare library (bare-provider.ts `--login`: the same code flow through the library alone, the password verified
 * as the world verifies it, no page, throttle, cookie or other check of ours) takes part in the same rounds, and the
 * same ratio of its logins (`bareLibraryRatioToArgon2id`) is the most ours could reach with this library on this
 * machine.
 */
export async function compareLoginsWithArgon2(world: Measured, bare: Measured, rounds = 12, total = 80) {
  const concurrency = 6;
  // Warm-up, not counted, at the same concurrency.
  for (const side of [world, bare]) await loginRate(side.port, side.pid, WARM_UP_LOGINS, concurrency);
  const loginsOn = (side: Measured) => async (): Promise<Rate> => {
    const result = await loginRate(side.port, side.pid, total, concurrency);
    return { perSecond: result.loginsPerSecond, perCpu: result.loginsPerServerCpuSecond };
  };
  const argon2 = async (): Promise<Rate> => {
    const result = await argon2Rate(total, concurrency);
    return { perSecond: result.verificationsPerSecond, perCpu: result.verificationsPerCpuSecond };
  };
  // Each round: [our logins, argon2id verifications, the bare library's logins].
  const { perSecond, perCpu, ratio } = figuresOf(await inRotation(rounds, [loginsOn(world), argon2, loginsOn(bare)]));
  return {
    rounds,
    logins: total,
    concurrency,
    loginsPerSecond: perSecond(0),
    serverCpuSecondsPerLogin: Math.round((1 / perCpu(0)) * 10000) / 10000,
    loginsPerServerCpuSecond: perCpu(0),
    argon2idVerificationsPerSecond: perSecond(1),
    argon2idVerificationsPerCpuSecond: perCpu(1),
    ratioToArgon2id: ratio(0, 1),
    bareLibraryLoginsPerServerCpuSecond: perCpu(2),
    bareLibraryRatioToArgon2id: ratio(2, 1),
  };
}
