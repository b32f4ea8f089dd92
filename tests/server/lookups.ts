/** The public lookup (`POST /api/lookup`) as asked from another client address than the tests' own. */
import { request as httpRequest } from 'node:http';
import { LOOKUP_PATH } from '../../contract/api';
import type { TestWorld } from './world';

/** A lookup's body: JSON of an object, or a string sent as it is. */
export type LookupBody = Record<string, unknown> | string;

/**
 * A lookup from a second client address on the loopback network (127.0.0.2), to tell per-email from per-IP limits.
 * (undici's Agent does not pass `localAddress` on, so plain `http.request`.)
 */
export function lookupFromOtherIp(
  world: TestWorld,
  body: LookupBody,
): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: world.port,
        localAddress: '127.0.0.2',
        method: 'POST',
        path: LOOKUP_PATH,
        headers: { host: new URL(world.urls.login).host, 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }),
        );
      },
    );
    request.on('error', reject);
    request.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}
