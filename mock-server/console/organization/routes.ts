/**
 * `/organization` on the Console: the organization page and its SCIM app forms, for organization admins only
 * (anyone else signed in gets 403). A new app's secret is kept for the next page view of the same Console
 * session only, then forgotten: it is shown once.
 */

import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { UserStore } from '../../accounts/users';
import { RequestError } from '../../errors';
import { PRODUCT_PAGE_HEADERS } from '../../html';
import { type OrganizationAudit, userActor } from '../../organizations/audit';
import type { Organization } from '../../organizations/organizations';
import type { OrganizationStores } from '../../organizations/stores';
import type { RelyingParty, RpSession } from '../../relying-party';
import { SCIM_BASE_PATH } from '../../scim/routes';
import type { ScimAppCredentials } from '../../scim/scim-apps';
import { checkedForm } from '../../security';
import { organizationPage } from './page';

export const ORGANIZATION_PATH = '/organization';
const REVEAL_TTL_MS = 10 * 60_000;

type Env = { Bindings: HttpBindings };

export interface OrganizationRouteDeps {
  rp: RelyingParty;
  users: UserStore;
  organizations: OrganizationStores & { audit: OrganizationAudit };
  /** The Twilio login's origin (token endpoint, SCIM base URL). */
  loginOrigin: string;
  clock: () => number;
}

export function organizationRoutes(deps: OrganizationRouteDeps): Hono<Env> {
  const { rp, users, organizations, loginOrigin, clock } = deps;
  const { organizations: store, scimApps, audit } = organizations;
  const reveals = new Map<string, { credentials: ScimAppCredentials; until: number }>();
  const app = new Hono<Env>();

  /** The signed-in admin and their organization; undefined when signed out; 403 for everyone else. */
  function signedInAdmin(c: Context<Env>): { session: RpSession; organization: Organization } | undefined {
    const session = rp.currentSession(c);
    if (!session) return undefined;
    const membership = store.ofUser(session.sub);
    if (membership?.role !== 'admin') {
      throw new RequestError('forbidden', "Only your organization's administrators can open the organization page.");
    }
    return { session, organization: membership.organization };
  }

  app.get(ORGANIZATION_PATH, (c) => {
    const admin = signedInAdmin(c);
    if (!admin) return rp.startSignIn(c, { returnTo: ORGANIZATION_PATH });
    const { session, organization } = admin;
    const reveal = reveals.get(session.id);
    reveals.delete(session.id);
    const apps = scimApps.list(organization.id);
    const who = (actor: string) => {
      const [kind, id = ''] = actor.split(':', 2);
      if (kind === 'scim') return `SCIM app ${apps.find((app) => app.clientId === id)?.name ?? id}`;
      return users.findById(id)?.email ?? id;
    };
    const body = organizationPage({
      session,
      organization,
      domains: store.domains(organization.id),
      apps,
      members: store.members(organization.id),
      events: audit.latest(organization.id, 20).map((event) => ({ ...event, who: who(event.actor) })),
      created: reveal && reveal.until > clock() ? reveal.credentials : undefined,
      scimBaseUrl: `${loginOrigin}${SCIM_BASE_PATH}`,
      tokenEndpoint: `${loginOrigin}/token`,
      zone: users.findById(session.sub)?.timezone ?? 'UTC',
    });
    return c.body(body, 200, { ...PRODUCT_PAGE_HEADERS, 'Cache-Control': 'no-store' });
  });

  app.post(`${ORGANIZATION_PATH}/scim-apps`, async (c) => {
    const admin = signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    const form = await checkedForm(c.req.raw, admin.session.csrfToken);
    const name = (form.name ?? '').trim();
    if (!name) throw new RequestError('invalid_request', 'Give the SCIM app a name.');
    if (name.length > 80) throw new RequestError('invalid_request', 'That name is too long (80 characters at most).');
    const credentials = scimApps.create(admin.organization.id, { name, createdBy: admin.session.sub });
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'scim_app_created',
      details: `${admin.session.email} created SCIM app ${name} (${credentials.clientId})`,
    });
    reveals.set(admin.session.id, { credentials, until: clock() + REVEAL_TTL_MS });
    return c.redirect(ORGANIZATION_PATH, 303);
  });

  app.post(`${ORGANIZATION_PATH}/scim-apps/:clientId/delete`, async (c) => {
    const admin = signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    await checkedForm(c.req.raw, admin.session.csrfToken);
    const clientId = c.req.param('clientId');
    if (!scimApps.delete(admin.organization.id, clientId)) {
      throw new RequestError('not_found', 'Your organization has no such SCIM app.');
    }
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'scim_app_deleted',
      details: `${admin.session.email} deleted SCIM app ${clientId}`,
    });
    return c.redirect(ORGANIZATION_PATH, 303);
  });
  return app;
}
