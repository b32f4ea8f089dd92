/**
 * `/organization` on the Console: the organization page and its SCIM app forms, for organization admins only
 * (anyone else signed in gets 403). The domain and single sign-on forms have their own files, mounted here.
 * A new app's secret is kept for the next page view of the same Console session only, then forgotten: it is
 * shown once.
 */
import { Hono } from 'hono';
import { displayNameProblem } from '../../display-names';
import { RequestError } from '../../errors';
import { userActor } from '../../organizations/audit';
import type { ScimAppCredentials } from '../../scim/scim-apps';
import { checkedForm } from '../../security';
import { ORGANIZATION_PATH, type OrganizationEnv, type OrganizationRouteDeps, organizationAdminKit } from './admin';
import { domainRoutes } from './domain-routes';
import { ssoSettingsRoutes } from './sso-settings';

export { ORGANIZATION_PATH, type OrganizationRouteDeps } from './admin';

const REVEAL_TTL_MS = 10 * 60_000;

export function organizationRoutes(deps: OrganizationRouteDeps): Hono<OrganizationEnv> {
  const { rp, organizations, clock } = deps;
  const { scimApps, audit } = organizations;
  const kit = organizationAdminKit(deps);
  const reveals = new Map<string, { credentials: ScimAppCredentials; until: number }>();
  const app = new Hono<OrganizationEnv>();

  app.get(ORGANIZATION_PATH, (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return rp.startSignIn(c, { returnTo: ORGANIZATION_PATH });
    const reveal = reveals.get(admin.session.id);
    reveals.delete(admin.session.id);
    return kit.render(c, admin, {
      created: reveal && reveal.until > clock() ? reveal.credentials : undefined,
      done: c.req.query('done'),
    });
  });

  app.post(`${ORGANIZATION_PATH}/scim-apps`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    const form = await checkedForm(c.req.raw, admin.session.csrfToken);
    const name = (form.name ?? '').trim();
    kit.refuseInline(c, admin, 'scim-app', { name }, (error) => error.code === 'invalid_request');
    if (!name) throw new RequestError('invalid_request', 'Give the SCIM app a name.');
    const problem = displayNameProblem(name, 80);
    if (problem) throw new RequestError('invalid_request', problem);
    const credentials = scimApps.create(admin.organization.id, { name, createdBy: admin.session.sub });
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'scim_app_created',
      details: `${admin.user.email} created SCIM app ${name} (${credentials.clientId})`,
    });
    reveals.set(admin.session.id, { credentials, until: clock() + REVEAL_TTL_MS });
    return c.redirect(`${ORGANIZATION_PATH}#scim`, 303);
  });

  app.post(`${ORGANIZATION_PATH}/scim-apps/:clientId/delete`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    await checkedForm(c.req.raw, admin.session.csrfToken);
    const clientId = c.req.param('clientId');
    if (!scimApps.delete(admin.organization.id, clientId)) {
      throw new RequestError('not_found', 'Your organization has no such SCIM app.');
    }
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'scim_app_deleted',
      details: `${admin.user.email} revoked SCIM app ${clientId}`,
    });
    return c.redirect(`${ORGANIZATION_PATH}#scim`, 303);
  });

  app.route('/', domainRoutes(deps, kit));
  app.route('/', ssoSettingsRoutes(deps, kit));
  return app;
}
