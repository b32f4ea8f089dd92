/**
 * The organization page's single sign-on forms (organization admins only; others get 403): connecting or
 * replacing the IdP (its metadata XML, or entity ID + SSO URL + signing certificate), and the sign-in rules
 * (enforce SSO, allow IdP-initiated sign-in). A refused IdP form comes back on the page with its message and
 * what the admin typed. `/organization/sso`, where these settings once had their own page, leads to the section.
 *
 * Every POST is same-origin (middleware of the Console), carries the session's CSRF token, and answers 303.
 */
import { Hono } from 'hono';
import { SsoRefusal } from '../../errors';
import { userActor } from '../../organizations/audit';
import { checkedForm } from '../../security';
import { settingsFromFields, settingsFromMetadata } from '../../sso/idp-metadata';
import {
  ORGANIZATION_PATH,
  type OrganizationAdminKit,
  type OrganizationEnv,
  type OrganizationRouteDeps,
} from './admin';

export const SSO_SETTINGS_PATH = `${ORGANIZATION_PATH}/sso`;

/** The IdP form's fields, as typed (cut to what the form allows), to show again after a refusal. */
function typedIdpFields(form: Record<string, string>): Record<string, string> {
  return {
    metadata: (form.metadata ?? '').slice(0, 64 * 1024),
    entityId: (form.entityId ?? '').slice(0, 2048),
    ssoUrl: (form.ssoUrl ?? '').slice(0, 2048),
    certificate: (form.certificate ?? '').slice(0, 16 * 1024),
  };
}

export function ssoSettingsRoutes(deps: OrganizationRouteDeps, kit: OrganizationAdminKit): Hono<OrganizationEnv> {
  const { connections } = deps.sso;
  const { audit } = deps.organizations;
  const app = new Hono<OrganizationEnv>();

  app.get(SSO_SETTINGS_PATH, (c) =>
    c.body(null, 303, { Location: `${ORGANIZATION_PATH}#sso`, 'Cache-Control': 'no-store' }),
  );

  app.post(`${SSO_SETTINGS_PATH}/idp`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    const form = await checkedForm(c.req.raw, admin.session.csrfToken);
    kit.refuseInline(c, admin, 'idp', typedIdpFields(form), (error) => error.code === 'idp_settings_invalid');
    const idp = form.metadata?.trim()
      ? settingsFromMetadata(form.metadata)
      : settingsFromFields({
          entityId: form.entityId ?? '',
          ssoUrl: form.ssoUrl ?? '',
          certificate: form.certificate ?? '',
        });
    connections.connect(admin.organization.id, idp, admin.session.sub);
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'sso_connected',
      details: `${admin.user.email} connected the identity provider ${idp.entityId}`,
    });
    return kit.done(c, 'idp-connected', 'sso');
  });

  app.post(`${SSO_SETTINGS_PATH}/settings`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    const form = await checkedForm(c.req.raw, admin.session.csrfToken);
    const settings = { enforced: form.enforced === 'on', allowIdpInitiated: form.allowIdpInitiated === 'on' };
    if (!connections.configure(admin.organization.id, settings, admin.session.sub)) {
      throw new SsoRefusal('sso_not_configured', 'Connect an identity provider first.');
    }
    const said = (on: boolean) => (on ? 'on' : 'off');
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'sso_rules_changed',
      details: `${admin.user.email} set SSO enforcement ${said(settings.enforced)}, IdP-initiated sign-in ${said(settings.allowIdpInitiated)}`,
    });
    return kit.done(c, 'sso-saved', 'sso');
  });

  return app;
}
