/**
 * Networking helpers for Node-side clients of the mock world (tests, bench, the Console's relying party).
 *
 * Chromium resolves every `*.localhost` name to loopback by itself; Node's resolver does not, and `fetch` ignores a
 * hand-set `Host` header. So Node clients connect through an undici Agent whose DNS lookup maps `localhost` and
 * `*.localhost` to 127.0.0.1 (RFC 6761 §6.3) and defers to the system resolver for everything else.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { createServer } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** True for `localhost` and any name under `.localhost`. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function localhostLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    (dnsLookup as (host: string, opts: LookupOptions, cb: LookupCallback) => void)(hostname, options, callback);
    return;
  }
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

/** The shared dispatcher: keep-alive connections, `*.localhost` → 127.0.0.1. */
export const localhostAgent = new Agent({ connect: { lookup: localhostLookup } });

/**
 * `fetch` that reaches the mock world's `*.localhost` hosts from Node. Same signature as the global `fetch`, so
 * it plugs into openid-client's `customFetch` and any test.
 */
export const localhostFetch = ((input: string | URL | Request, init?: RequestInit): Promise<Response> =>
  undiciFetch(input as Parameters<typeof undiciFetch>[0], {
    ...(init as Parameters<typeof undiciFetch>[1]),
    dispatcher: localhostAgent,
  }) as unknown as Promise<Response>) as typeof fetch;

/** A TCP port free on 127.0.0.1 right now (the OS picks it), for a world whose issuer must name its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
