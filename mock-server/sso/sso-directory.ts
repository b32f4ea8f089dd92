/**
 * Which sign-in an email gets. An email on a verified domain of an organization with a connected IdP can use SSO
 * (decided by the domain alone). It must when the organization enforces SSO and the email is one of its members'
 * (deactivated or not): enforcement is the organization's rule for its own members. A Twilio user who took the
 * address before the domain was verified is no member until the organization takes them in (SCIM), so they keep
 * their password; and an address of no Twilio user at all is answered exactly as theirs is. So the answer tells
 * whether the address is one of the organization's members (whom its own IdP knows anyway), never whether anyone
 * else on the domain has a Twilio login.
 *
 * `enforcedFor` is the one decision: the email step (identity/interaction/identifier.ts) and the password POST
 * (identity/interaction/password.ts) both ask it.
 */
import type { Organization, OrganizationStore } from '../organizations/organizations';
import type { SsoConnection, SsoConnections } from './connections';

export interface SsoChoice {
  organization: Organization;
  connection: SsoConnection;
}

export class SsoDirectory {
  constructor(
    readonly organizations: OrganizationStore,
    readonly connections: SsoConnections,
  ) {}

  /** The organization whose IdP can sign in this email, if any (its verified domain, an IdP connected). */
  forEmail(email: string): SsoChoice | undefined {
    // Only an organization that verified the email's domain: Organizations.forEmail looks up verified domains alone.
    const organization = this.organizations.forEmail(email);
    if (!organization) return undefined;
    const connection = this.connections.find(organization.id);
    return connection ? { organization, connection } : undefined;
  }

  /**
   * The email must sign in with SSO: its organization enforces it and the email is a member's. `choice` is the
   * email's `forEmail`, when the caller has it already (one look-up for the page's hint and this).
   */
  enforcedFor(email: string, choice: SsoChoice | undefined = this.forEmail(email)): SsoChoice | undefined {
    if (!choice?.connection.enforced) return undefined;
    return this.organizations.hasMemberEmail(choice.organization.id, email) ? choice : undefined;
  }
}
