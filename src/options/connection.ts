/**
 * "Test connection": is a Twilio login of the mock world answering on this port? Fetches its discovery document
 * and checks that it names the issuer expected on that port (a different server on the port would not).
 */
import { issuerFor } from '../../contract/catalogue';

export type ConnectionResult = { ok: true; issuer: string } | { ok: false; message: string };

/** How long to wait for the world before saying it does not answer. */
export const CONNECTION_TIMEOUT_MS = 3000;

export async function testConnection(port: number, fetchFn: typeof fetch = fetch): Promise<ConnectionResult> {
  const issuer = issuerFor(port);
  let response: Response;
  try {
    response = await fetchFn(`${issuer}/.well-known/openid-configuration`, {
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, message: `Nothing answers at ${issuer}. Is the mock world running on port ${port}?` };
  }
  if (!response.ok) return { ok: false, message: `${issuer} answered HTTP ${response.status}, not the Twilio login.` };
  let named: unknown;
  try {
    named = ((await response.json()) as { issuer?: unknown }).issuer;
  } catch {
    return { ok: false, message: `${issuer} answered, but not with the Twilio login's discovery document.` };
  }
  if (named !== issuer) {
    return {
      ok: false,
      message: `The server on port ${port} is not this world's Twilio login (it names ${String(named)}).`,
    };
  }
  return { ok: true, issuer };
}
