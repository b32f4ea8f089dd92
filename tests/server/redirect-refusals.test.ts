import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URI, siteOrigin } from '../../contract/catalogue';
import { localhostFetch } from '../../mock-server/net';
import { worldForFile } from './world';

const world = await worldForFile();
const consoleCallback = `${siteOrigin('console', world.port)}/callback`;

async function authorize(params: Record<string, string>) {
  const url = new URL(`${world.issuer}/auth`);
  const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
  const defaults = {
    client_id: 'console',
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: consoleCallback,
    state: 'st',
    nonce: 'no',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) {
    if (value !== '') url.searchParams.set(key, value);
  }
  return localhostFetch(url, { redirect: 'manual' });
}

describe('authorization requests the IdP refuses', () => {
  it('starts a login for a well-formed request (control)', async () => {
    const response = await authorize({});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/interaction\/[\w-]+$/);
  });

  it.each([
    ['a trailing slash', `${consoleCallback}/`],
    ['a dot-dot segment', `${siteOrigin('console', world.port)}/x/../callback`],
    ['another host', `http://evil.localhost:${world.port}/callback`],
    ['an extra query', `${consoleCallback}?next=/admin`],
    ['another scheme', consoleCallback.replace('http:', 'https:')],
  ])('refuses a redirect URI with %s with a 400 page and no redirect', async (_label, redirectUri) => {
    const response = await authorize({ redirect_uri: redirectUri });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri did not match any of the client');
  });

  it('refuses an unknown client with a 400 page and no redirect', async () => {
    const response = await authorize({ client_id: 'evil' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses the extension client redirecting anywhere but its chromiumapp.org URI', async () => {
    const response = await authorize({
      client_id: EXTENSION_CLIENT_ID,
      redirect_uri: EXTENSION_REDIRECT_URI.replace('/oidc', '/other'),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a request without PKCE, at the redirect URI', async () => {
    const response = await authorize({ code_challenge: '', code_challenge_method: '' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(consoleCallback);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses the plain PKCE method', async () => {
    const response = await authorize({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
  });

  it('refuses the implicit response type', async () => {
    const response = await authorize({ response_type: 'token' });
    const location = new URL(response.headers.get('location')!);
    // Errors for a fragment response type come back in the fragment.
    const params = new URLSearchParams(location.hash.slice(1) || location.search);
    expect(params.get('error')).toBe('unsupported_response_type');
  });

  it('has no password grant', async () => {
    const client = world.clients.find((candidate) => candidate.clientId === 'console')!;
    const response = await localhostFetch(`${world.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`console:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'password', username: 'ada@example.com', password: 'demo-pass-2026' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
