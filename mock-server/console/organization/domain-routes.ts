/**
 * The organization page's domain forms: claim a domain (it starts unverified, with its DNS token) and verify it
 * (its TXT record must be published; see ../../organizations/domain-verification.ts). Both are recorded in the
 * audit trail; a refusal comes back on the page beside its form.
 */
import { Hono } from 'hono';
import { userActor } from '../../organizations/audit';
import { DomainVerification } from '../../organizations/domain-verification';
import { checkedForm } from '../../security';
import {
  ORGANIZATION_PATH,
  type OrganizationAdminKit,
  type OrganizationEnv,
  type OrganizationRouteDeps,
} from './admin';

export function domainRoutes(deps: OrganizationRouteDeps, kit: OrganizationAdminKit): Hono<OrganizationEnv> {
  const { organizations: store, audit, dns } = deps.organizations;
  const verification = new DomainVerification(store, dns);
  const app = new Hono<OrganizationEnv>();
  const isDomainRefusal = (error: { code: string }) => error.code.startsWith('domain_');

  app.post(`${ORGANIZATION_PATH}/domains`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    const form = await checkedForm(c.req.raw, admin.session.csrfToken);
    const typed = (form.domain ?? '').slice(0, 300);
    kit.refuseInline(c, admin, 'domain-claim', { domain: typed }, isDomainRefusal);
    const claimed = verification.claim(admin.organization.id, typed);
    audit.record(admin.organization.id, {
      actor: userActor(admin.session.sub),
      action: 'domain_claimed',
      details: `${admin.user.email} added the domain ${claimed.domain}`,
    });
    return kit.done(c, 'domain-claimed', 'domains');
  });

  app.post(`${ORGANIZATION_PATH}/domains/:domain/verify`, async (c) => {
    const admin = kit.signedInAdmin(c);
    if (!admin) return c.redirect('/', 303);
    await checkedForm(c.req.raw, admin.session.csrfToken);
    const domain = c.req.param('domain');
    kit.refuseInline(c, admin, 'domain-verify', { domain }, (error) => error.code === 'domain_record_missing');
    const before = store.domain(admin.organization.id, domain);
    const verified = verification.verify(admin.organization.id, domain, admin.session.sub);
    if (!before?.verified) {
      audit.record(admin.organization.id, {
        actor: userActor(admin.session.sub),
        action: 'domain_verified',
        details: `${admin.user.email} verified the domain ${verified.domain} (DNS TXT record)`,
      });
    }
    return kit.done(c, 'domain-verified', 'domains');
  });

  return app;
}
