/**
 * The SCIM 2.0 API at `/scim/v2` on the login host (RFC 7644). Discovery is public; Users and Groups need a Bearer
 * token a SCIM app got with the client credentials grant and the `scim` scope, and reach only that app's
 * organization. Bodies are capped, parsed as JSON and validated before anything changes; every refusal is a SCIM
 * error (scim-errors.ts).
 */

import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import { type NodeHandler, requestPath } from '../node-handler';
import { scimActor } from '../organizations/audit';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { SCIM_SCOPE, type ScimApps } from './scim-apps';
import { SCIM_CONTENT_TYPE, ScimError, scimErrorResponse } from './scim-errors';
import type { ScimGroups } from './scim-groups';
import { pagingFrom } from './scim-resources';
import { MAX_PATCH_OPERATIONS, PatchRequestSchema, parseScim, SCHEMAS } from './scim-schemas';
import type { ScimUsers } from './scim-users';

export const SCIM_BASE_PATH = '/scim/v2';
const SCIM_PATH_PREFIX = `${SCIM_BASE_PATH}/`;

/** Who is calling: a SCIM app of one organization. */
interface ScimCaller {
  organizationId: string;
  actor: string;
}

type Env = { Bindings: HttpBindings; Variables: { caller: ScimCaller } };

export interface ScimRouteDeps {
  provider: Provider;
  scimApps: ScimApps;
  users: ScimUsers;
  groups: ScimGroups;
  clock: () => number;
  /** `http://login…/scim/v2` */
  baseUrl: string;
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]{1,2048}=*)$/i;

function scimJson(c: Context, body: unknown, status: 200 | 201 = 200, extra: Record<string, string> = {}) {
  return c.body(JSON.stringify(body), status, {
    'Content-Type': SCIM_CONTENT_TYPE,
    'Cache-Control': 'no-store',
    ...extra,
  });
}

/** A single resource, with its ETag (its `meta.version`). */
const resourceJson = (c: Context, resource: { meta: { version: string; location: string } }, status: 200 | 201 = 200) =>
  scimJson(c, resource, status, {
    ETag: resource.meta.version,
    ...(status === 201 ? { Location: resource.meta.location } : {}),
  });

/** The JSON body of a POST, PUT or PATCH: SCIM or plain JSON, an object, well-formed. */
async function jsonBody(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== SCIM_CONTENT_TYPE && type !== 'application/json') {
    throw new ScimError('unsupportedMediaType', `Send the body as ${SCIM_CONTENT_TYPE}.`);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ScimError('invalidSyntax', 'The request body is not well-formed JSON.', { cause });
  }
}

/** A PATCH body: the PatchOp schema, at most MAX_PATCH_OPERATIONS operations (counted before validating them). */
async function patchOperations(c: Context) {
  const body = await jsonBody(c);
  const operations = (body as { Operations?: unknown; operations?: unknown } | null)?.Operations;
  if (Array.isArray(operations) && operations.length > MAX_PATCH_OPERATIONS) {
    throw new ScimError('tooMany', `A PATCH may carry at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  return parseScim(PatchRequestSchema, body).Operations;
}

export function scimRoutes(deps: ScimRouteDeps): Hono<Env> {
  const { provider, scimApps, users, groups, baseUrl } = deps;
  const app = new Hono<Env>().basePath(SCIM_BASE_PATH);
  app.onError((error, c) => scimErrorResponse(error, c));
  app.notFound((c) => scimErrorResponse(new ScimError('notFound', 'There is no SCIM endpoint here.'), c));
  // Bodies past MAX_SCIM_BODY_BYTES are refused at the server's edge (body-limit.ts), in SCIM's error shape.

  app.get('/ServiceProviderConfig', (c) => scimJson(c, serviceProviderConfig(baseUrl)));
  app.get('/ResourceTypes', (c) => scimJson(c, listOf(resourceTypes(baseUrl))));
  app.get('/ResourceTypes/:id', (c) => scimJson(c, oneOf(resourceTypes(baseUrl), c.req.param('id'))));
  app.get('/Schemas', (c) => scimJson(c, listOf(schemas(baseUrl))));
  app.get('/Schemas/:id', (c) => scimJson(c, oneOf(schemas(baseUrl), c.req.param('id'))));

  /** The SCIM app behind the Bearer token, or a 401/403 before any resource is touched. */
  const authorise = async (c: Context<Env>, next: () => Promise<void>) => {
    const header = c.req.header('authorization');
    if (!header) throw new ScimError('invalidToken', 'An access token is required (Authorization: Bearer …).');
    const value = BEARER.exec(header)?.[1];
    if (!value) throw new ScimError('invalidToken', 'The Authorization header is not a Bearer token.');
    const token = await provider.ClientCredentials.find(value).catch(() => undefined);
    if (!token || token.isExpired || (token.exp ?? 0) * 1000 <= deps.clock()) {
      throw new ScimError('invalidToken', 'The access token is invalid, expired or revoked.');
    }
    const clientId = token.clientId ?? '';
    const organizationId = scimApps.organizationOf(clientId);
    if (!organizationId) throw new ScimError('invalidToken', 'The access token is not from a SCIM app.');
    if (!(token.scope ?? '').split(' ').includes(SCIM_SCOPE)) {
      throw new ScimError('insufficientScope', `The access token lacks the "${SCIM_SCOPE}" scope.`);
    }
    c.set('caller', { organizationId, actor: scimActor(clientId) });
    await next();
  };
  app.use('/Users', authorise);
  app.use('/Users/*', authorise);
  app.use('/Groups', authorise);
  app.use('/Groups/*', authorise);

  const query = (c: Context) => (name: string) => c.req.query(name);
  const ifMatch = (c: Context) => c.req.header('if-match');
  /** `excludedAttributes=members` (Entra asks for groups without their member lists). */
  const withMembers = (c: Context) =>
    !(c.req.query('excludedAttributes') ?? '').split(',').some((name) => name.trim().toLowerCase() === 'members');

  app.get('/Users', (c) => scimJson(c, users.list(c.var.caller.organizationId, pagingFrom(query(c)))));
  app.post('/Users', async (c) => {
    const { organizationId, actor } = c.var.caller;
    return resourceJson(c, await users.create(organizationId, actor, await jsonBody(c)), 201);
  });
  app.get('/Users/:id', (c) => resourceJson(c, users.get(c.var.caller.organizationId, c.req.param('id'))));
  app.put('/Users/:id', async (c) => {
    const { organizationId, actor } = c.var.caller;
    return resourceJson(
      c,
      await users.replace(organizationId, actor, c.req.param('id'), await jsonBody(c), ifMatch(c)),
    );
  });
  app.patch('/Users/:id', async (c) => {
    const { organizationId, actor } = c.var.caller;
    const operations = await patchOperations(c);
    return resourceJson(c, await users.patch(organizationId, actor, c.req.param('id'), operations, ifMatch(c)));
  });
  app.delete('/Users/:id', async (c) => {
    const { organizationId, actor } = c.var.caller;
    await users.delete(organizationId, actor, c.req.param('id'), ifMatch(c));
    return c.body(null, 204);
  });

  app.get('/Groups', (c) =>
    scimJson(c, groups.list(c.var.caller.organizationId, pagingFrom(query(c)), { withMembers: withMembers(c) })),
  );
  app.post('/Groups', async (c) => {
    const { organizationId, actor } = c.var.caller;
    return resourceJson(c, groups.create(organizationId, actor, await jsonBody(c)), 201);
  });
  app.get('/Groups/:id', (c) =>
    resourceJson(c, groups.get(c.var.caller.organizationId, c.req.param('id'), { withMembers: withMembers(c) })),
  );
  app.put('/Groups/:id', async (c) => {
    const { organizationId, actor } = c.var.caller;
    return resourceJson(c, groups.replace(organizationId, actor, c.req.param('id'), await jsonBody(c), ifMatch(c)));
  });
  app.patch('/Groups/:id', async (c) => {
    const { organizationId, actor } = c.var.caller;
    const operations = await patchOperations(c);
    return resourceJson(c, groups.patch(organizationId, actor, c.req.param('id'), operations, ifMatch(c)));
  });
  app.delete('/Groups/:id', (c) => {
    const { organizationId, actor } = c.var.caller;
    groups.delete(organizationId, actor, c.req.param('id'), ifMatch(c));
    return c.body(null, 204);
  });

  // A collection is listed and added to; PUT, PATCH and DELETE name one resource (`/Users/{id}`).
  for (const collection of ['Users', 'Groups']) {
    app.on(['PUT', 'PATCH', 'DELETE'], `/${collection}`, (c) => {
      throw new ScimError(
        'methodNotAllowed',
        `${c.req.method} is not allowed on /${collection}: name one resource (/${collection}/{id}).`,
        { headers: { Allow: 'GET, POST' } },
      );
    });
  }
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], ['/ServiceProviderConfig', '/ResourceTypes/*', '/Schemas/*'], () => {
    throw new ScimError('methodNotAllowed', 'Discovery endpoints are read-only.', { headers: { Allow: 'GET' } });
  });
  return app;
}

function listOf<Resource>(resources: Resource[]) {
  return {
    schemas: [SCHEMAS.listResponse],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function oneOf<Resource extends { id: string }>(resources: Resource[], id: string): Resource {
  const found = resources.find((resource) => resource.id === id);
  if (!found) throw new ScimError('notFound', `No ${id} here.`);
  return found;
}

/** Serves `/scim/v2/*` in front of the login host's own handler. */
export function withScim(deps: ScimRouteDeps, site: NodeHandler): NodeHandler {
  const listener = getRequestListener(scimRoutes(deps).fetch);
  return (req, res) => {
    const path = requestPath(req);
    if (path === SCIM_BASE_PATH || path.startsWith(SCIM_PATH_PREFIX)) void listener(req, res);
    else site(req, res);
  };
}
