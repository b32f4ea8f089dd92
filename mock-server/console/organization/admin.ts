/**
 * What every route of the organization page shares: who may use it (the organization's admins; anyone else
 * signed in gets 403) and how the page is rendered — as it is, or again with a refused form's message and the
 * values the admin typed, so nothing they entered is lost.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { User, UserStore } from '../../accounts/users';
import { showRefusalsOn } from '../../error-response';
import { RequestError, type WorldError } from '../../errors';
import { PRODUCT_PAGE_HEADERS } from '../../html';
import type { OrganizationAudit } from '../../organizations/audit';
import type { TxtResolver } from '../../organizations/domain-verification';
import { type Organization, releasedEmail } from '../../organizations/organizations';
import type { OrganizationStores } from '../../organizations/stores';
import type { RelyingParty, RpSession } from '../../relying-party';
import { SCIM_BASE_PATH } from '../../scim/routes';
import type { ScimAppCredentials } from '../../scim/scim-apps';
import type { SsoConnections } from '../../sso/connections';
import { serviceProviderUrls } from '../../sso/service-provider';
import { signedInUser } from '../settings/kit';
import { organizationPage } from './page';
import type { OrganizationView, RefusedForm } from './view';

export type OrganizationEnv = { Bindings: HttpBindings };
export type OrganizationContext = Context<OrganizationEnv>;

export const ORGANIZATION_PATH = '/organization';

export interface OrganizationRouteDeps {
  rp: RelyingParty;
  users: UserStore;
  organizations: OrganizationStores & { audit: OrganizationAudit; dns: TxtResolver };
  sso: { connections: SsoConnections };
  /** The Twilio login's origin (token endpoint, SCIM base URL, SP URLs, the demo DNS page). */
  loginOrigin: string;
  clock: () => number;
}

export interface OrganizationAdmin {
  session: RpSession;
  user: User;
  organization: Organization;
}

export function organizationAdminKit(deps: OrganizationRouteDeps) {
  const { rp, users, organizations, loginOrigin } = deps;
  const { organizations: store, scimApps, audit } = organizations;

  /** The signed-in admin and their organization; undefined when signed out; 403 for everyone else. */
  function signedInAdmin(c: OrganizationContext): OrganizationAdmin | undefined {
    const current = signedInUser(rp, users, c);
    if (!current) return undefined;
    const { session, user } = current;
    const organization =
      user.organizationRole === 'admin' && user.organizationId && store.findById(user.organizationId);
    if (!organization) {
      throw new RequestError('forbidden', "Only your organization's administrators can open the organization page.");
    }
    return { session, user, organization };
  }

  function view(
    { session, user, organization }: OrganizationAdmin,
    extra: { done?: string | undefined; created?: ScimAppCredentials | undefined; refused?: RefusedForm | undefined },
  ): OrganizationView {
    const apps = scimApps.list(organization.id);
    // A deleted user whose email another user took is named, never shown at its placeholder address.
    const emailOf = (id: string) => {
      const user = users.findById(id);
      if (!user) return id;
      return user.email === releasedEmail(user.id) ? `${user.name} (deleted user)` : user.email;
    };
    const who = (actor: string) => {
      const [kind, id = ''] = actor.split(':', 2);
      if (kind === 'scim') return `SCIM app ${apps.find((app) => app.clientId === id)?.name ?? id}`;
      return emailOf(id);
    };
    return {
      session,
      user,
      organization,
      domains: store.domains(organization.id).map((domain) => ({
        ...domain,
        verifiedByEmail: domain.verifiedBy ? emailOf(domain.verifiedBy) : undefined,
      })),
      sp: serviceProviderUrls(loginOrigin, organization.id),
      connection: deps.sso.connections.find(organization.id),
      apps,
      members: store.members(organization.id),
      deletedUsers: store.deletedUsers(organization.id),
      events: audit.latest(organization.id, 20).map((event) => ({ ...event, who: who(event.actor) })),
      scimBaseUrl: `${loginOrigin}${SCIM_BASE_PATH}`,
      tokenEndpoint: `${loginOrigin}/token`,
      demoDnsUrl: `${loginOrigin}/dev/dns`,
      zone: user.timezone,
      ...extra,
    };
  }

  const pageHeaders = { ...PRODUCT_PAGE_HEADERS, 'Cache-Control': 'no-store' };

  return {
    signedInAdmin,
    /** The organization page, 200. */
    render(c: OrganizationContext, admin: OrganizationAdmin, extra: Parameters<typeof view>[1] = {}) {
      return c.body(organizationPage(view(admin, extra)), 200, pageHeaders);
    },
    /**
     * From here on, a refusal of this request whose code `shownInline` accepts re-renders the page with the
     * message beside form `form` and the `values` the admin typed (at the refusal's own 4xx status).
     */
    refuseInline(
      c: OrganizationContext,
      admin: OrganizationAdmin,
      form: RefusedForm['form'],
      values: Record<string, string>,
      shownInline: (error: WorldError) => boolean,
    ) {
      showRefusalsOn(c, (error) =>
        shownInline(error)
          ? {
              body: organizationPage(
                view(admin, { refused: { form, code: error.code, message: error.description, values } }),
              ),
              headers: pageHeaders,
            }
          : undefined,
      );
    },
    /** 303 back to the page, at `section`, saying `done`. */
    done(c: OrganizationContext, done: string, section: string) {
      return c.body(null, 303, {
        Location: `${ORGANIZATION_PATH}?done=${done}#${section}`,
        'Cache-Control': 'no-store',
      });
    },
  };
}

export type OrganizationAdminKit = ReturnType<typeof organizationAdminKit>;
