/**
 * Where a login's server CPU goes, request by request: the extension's full code flow (authorize, the login pages,
 * the password, the code, the token exchange) walked one request at a time, the server's main-thread CPU read from
 * /proc/<pid>/task/<pid>/schedstat (nanoseconds) before each request and after its answer, so each request's
 * figure is its own work. The whole process's CPU (argon2id on libuv's pool, V8's collector and compiler helpers
 * besides the main thread) is reported per login. The same walk on the bare provider's `--login` mode
 * (bare-provider.ts: the same storage and password verification, a minimal page, no checks) shows what the library
 * spends by itself; the two sides alternate in blocks, as in the bench's other comparisons.
 */
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { localhostFetch } from '../../mock-server/net';
import { HeadlessBrowser } from '../lib/headless-browser';
import { alternately, round2 } from './rounds';
import { cpuSeconds, extensionClientAt, type Measured, signInLoginUser } from './server';

/** CPU milliseconds the main thread of process `pid` has used so far. */
function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** A request as the breakdown names it: method and path, with the interaction's uid left out. */
const requestName = (method: string, url: URL) =>
  `${method} ${url.pathname.replace(/^\/(interaction|auth)\/[^/]+/, '/$1/:uid')}`;

interface Walked {
  logins: number;
  processCpuMs: number;
  mainThreadMs: number;
  /** Main-thread milliseconds and count of each request, over all logins. */
  requests: Map<string, { ms: number; count: number }>;
}

const nothingWalked = (): Walked => ({ logins: 0, processCpuMs: 0, mainThreadMs: 0, requests: new Map() });

/** `logins` sign-ins, one request at a time, added to `into`; warm-ups pass a throwaway `into`. */
async function walk(server: Measured, logins: number, into: Walked): Promise<void> {
  const timedFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const before = mainThreadCpuMs(server.pid);
    const response = await localhostFetch(input, init);
    const body = await response.arrayBuffer();
    const name = requestName(init?.method ?? 'GET', new URL(String(input)));
    const request = into.requests.get(name) ?? { ms: 0, count: 0 };
    request.ms += mainThreadCpuMs(server.pid) - before;
    request.count += 1;
    into.requests.set(name, request);
    // The body is read (the answer is complete), so the caller gets a copy of it.
    const noBody = [101, 204, 205, 304].includes(response.status);
    return new Response(noBody ? null : body, response);
  }) as typeof fetch;
  const config = await extensionClientAt(server.port);
  config[oidc.customFetch] = (url, options) => timedFetch(url, options as RequestInit);
  const cpuBefore = cpuSeconds(server.pid);
  const mainBefore = mainThreadCpuMs(server.pid);
  for (let i = 0; i < logins; i += 1) {
    await signInLoginUser(config, i, new HeadlessBrowser(timedFetch));
  }
  into.logins += logins;
  into.mainThreadMs += mainThreadCpuMs(server.pid) - mainBefore;
  into.processCpuMs += (cpuSeconds(server.pid) - cpuBefore) * 1000;
}

function perLogin(walked: Walked) {
  const perRequest = Object.fromEntries(
    [...walked.requests].map(([name, { ms, count }]) => [
      name,
      { requestsPerLogin: round2(count / walked.logins), mainThreadMsEach: round2(ms / count) },
    ]),
  );
  return {
    processCpuMsPerLogin: round2(walked.processCpuMs / walked.logins),
    mainThreadMsPerLogin: round2(walked.mainThreadMs / walked.logins),
    mainThreadMsPerRequest: perRequest,
  };
}

/**
 * The breakdown of our world's logins and of the bare provider's (`--login`; both warmed up by the bench's login
 * comparison before): `rounds` alternating blocks of `logins` each.
 */
export async function compareLoginBreakdown(ours: Measured, bare: Measured, rounds = 4, logins = 30) {
  await walk(ours, 10, nothingWalked());
  const totals = { ours: nothingWalked(), bare: nothingWalked() };
  await alternately(
    rounds,
    () => walk(ours, logins, totals.ours),
    () => walk(bare, logins, totals.bare),
  );
  return {
    logins: rounds * logins,
    ours: perLogin(totals.ours),
    bareOidcProvider: perLogin(totals.bare),
    note:
      'one request at a time; main-thread CPU per request from schedstat, process CPU per login from /proc/<pid>/stat. ' +
      'The bare side has the same storage and password verification and no page or check of ours (bare-provider.ts --login)',
  };
}
