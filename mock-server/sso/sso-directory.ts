/**
 * Which sign-in an email gets: an email on a verified domain of an organization with a connected IdP can use
 * SSO, and must when the organization enforces it. Decided by the domain alone — SSO applies to the users of an
 * organization's verified domains — so the answer tells nobody more than the domain already says (not whether
 * the user exists).
 */
import type { Organization, OrganizationStore } from '../organizations/organizations';
import type { SsoConnection, SsoConnections } from './connections';

export interface SsoChoice {
  organization: Organization;
  connection: SsoConnection;
}

/** `choice` when its organization enforces SSO: the email must sign in with it. */
export const enforcedChoice = (choice: SsoChoice | undefined): SsoChoice | undefined =>
  choice?.connection.enforced ? choice : undefined;

export class SsoDirectory {
  constructor(
    readonly organizations: OrganizationStore,
    readonly connections: SsoConnections,
  ) {}

  /** The organization whose IdP signs in this email, if any. */
  forEmail(email: string): SsoChoice | undefined {
    // Only an organization that verified the email's domain: Organizations.forEmail looks up verified domains alone.
    const organization = this.organizations.forEmail(email);
    if (!organization) return undefined;
    const connection = this.connections.find(organization.id);
    return connection ? { organization, connection } : undefined;
  }

  /** The email must sign in with SSO (enforced organization, verified domain). */
  enforcedFor(email: string): SsoChoice | undefined {
    return enforcedChoice(this.forEmail(email));
  }
}
