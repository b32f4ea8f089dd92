/** What the organization page shows: the view its sections render, and a refused form shown again. */
import type { User } from '../../accounts/users';
import type { SafeHtml } from '../../html';
import type { OrganizationEvent } from '../../organizations/audit';
import type {
  DeletedUser,
  Organization,
  OrganizationDomain,
  OrganizationMember,
} from '../../organizations/organizations';
import type { RpSession } from '../../relying-party';
import type { ScimApp, ScimAppCredentials } from '../../scim/scim-apps';
import type { SsoConnection } from '../../sso/connections';
import type { ServiceProviderUrls } from '../../sso/service-provider';

/** A claimed domain, with the email of the admin who verified it. */
export type DomainView = OrganizationDomain & { verifiedByEmail: string | undefined };

/** A form the page shows again after a refusal: its message (and code) beside it, with what the admin typed. */
export interface RefusedForm {
  form: 'domain-claim' | 'domain-verify' | 'idp' | 'scim-app';
  code: string;
  message: string;
  values: Record<string, string>;
}

export interface OrganizationView {
  session: RpSession;
  /** The signed-in admin, as the UserStore has them now. */
  user: User;
  organization: Organization;
  domains: DomainView[];
  sp: ServiceProviderUrls;
  connection: SsoConnection | undefined;
  apps: ScimApp[];
  members: OrganizationMember[];
  deletedUsers: DeletedUser[];
  /**
   * The latest events, each with who did it in words: the SCIM app's name, the admin's email (a deleted admin's
   * name once another user took it).
   */
  events: (OrganizationEvent & { who: string })[];
  /** A SCIM app just created: its secret, shown this once. */
  created?: ScimAppCredentials | undefined;
  /** What was just done (a key of a section's messages). */
  done?: string | undefined;
  refused?: RefusedForm | undefined;
  scimBaseUrl: string;
  tokenEndpoint: string;
  demoDnsUrl: string;
  /** The admin's Console timezone. */
  zone: string;
}

/** What each section gets: the whole view and the session's CSRF field for its forms. */
export interface SectionContext {
  view: OrganizationView;
  csrf: SafeHtml;
}
