/** A SCIM client for tests: gets a token with the client credentials grant and sends SCIM requests. */
import * as oidc from 'openid-client';
import { expect } from 'vitest';
import { localhostFetch } from '../../mock-server/net';
import { SCIM_BASE_PATH } from '../../mock-server/scim/routes';
import { ACME_SCIM_APP } from '../../mock-server/seed';
import type { TestWorld } from './world';

export const SCIM_TYPE = 'application/scim+json';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** An access token for a SCIM app (Acme's demo app unless stated), as a provisioning client gets one. */
export async function scimToken(
  world: TestWorld,
  { clientId, clientSecret }: { clientId: string; clientSecret: string } = ACME_SCIM_APP,
  scope = 'scim',
): Promise<string> {
  const config = await oidc.discovery(new URL(world.issuer), clientId, {}, oidc.ClientSecretBasic(clientSecret), {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: (url, init) => localhostFetch(url, init as RequestInit),
  });
  return (await oidc.clientCredentialsGrant(config, scope ? { scope } : {})).access_token;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM bodies are asserted field by field in the tests.
  body: any;
}

export interface ScimClient {
  token: string;
  send(
    method: string,
    path: string,
    body?: unknown,
    options?: { headers?: Record<string, string>; raw?: string },
  ): Promise<ScimResponse>;
}

export async function scimClient(world: TestWorld, token?: string): Promise<ScimClient> {
  const bearer = token ?? (await scimToken(world));
  return {
    token: bearer,
    async send(method, path, body, { headers = {}, raw } = {}) {
      const response = await localhostFetch(`${world.issuer}${SCIM_BASE_PATH}${path}`, {
        method,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': SCIM_TYPE } : {}),
          ...headers,
        },
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

let counter = 0;
/** A new SCIM user body for Acme, as Okta sends it. */
export function oktaUser(local = `person${++counter}-${Date.now().toString(36)}`, overrides: object = {}) {
  const email = `${local}@acme.test`;
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: 'Pat', familyName: 'Lee' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Pat Lee',
    locale: 'en-US',
    externalId: `00u${local}`,
    groups: [],
    password: 'ignored-by-twilio',
    active: true,
    ...overrides,
  };
}

/** The SCIM error body for a refusal. */
export const scimError = (status: number, scimType: string, detail: string | RegExp) => ({
  schemas: [ERROR_SCHEMA],
  status: String(status),
  scimType,
  detail: typeof detail === 'string' ? detail : expect.stringMatching(detail),
});
