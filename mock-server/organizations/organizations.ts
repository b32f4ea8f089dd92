/**
 * Organizations: a company (Acme) that verifies its email domains and manages the Twilio users of those domains —
 * by SSO (its own identity provider) and by SCIM provisioning. A managed user belongs to one organization, as a
 * `member` or an `admin`, and can be deactivated by it: an inactive user signs in nowhere until reactivated.
 */

import { randomBytes } from 'node:crypto';
import { normaliseEmail } from '../../contract/email';
import { hasUsablePassword } from '../accounts/passwords';
import type { OrganizationRole } from '../accounts/users';
import type { Db } from '../storage/database';

export interface Organization {
  /** `OR` + 32 hex characters. */
  id: string;
  name: string;
  createdAt: number;
}

export interface OrganizationDomain {
  organizationId: string;
  /** Lower-case, e.g. `acme.test`. */
  domain: string;
  verified: boolean;
  createdAt: number;
  /** The token the organization publishes in DNS to prove it holds the domain (see domain-verification.ts). */
  verificationToken: string | undefined;
  /** When and by whom (a Twilio user id) it was verified; undefined for domains seeded as verified. */
  verifiedAt: number | undefined;
  verifiedBy: string | undefined;
}

/** How a member stands: `deactivated` users sign in nowhere; `ssoOnly` users have no Twilio password. */
export interface OrganizationMember {
  id: string;
  email: string;
  name: string;
  role: OrganizationRole;
  active: boolean;
  ssoOnly: boolean;
  externalId: string | undefined;
}

/**
 * A user the organization's identity provider deleted through SCIM. The row stays (provisioning them again brings
 * the same user back), deactivated, and is no member any more: nothing but SCIM changes it.
 */
export interface DeletedUser {
  id: string;
  name: string;
  /** Undefined once a live user took it: the deleted user was moved to its `releasedEmail`. */
  email: string | undefined;
  deletedAt: number;
}

interface OrganizationRow {
  id: string;
  name: string;
  created_at: number;
}

interface DomainRow {
  organization_id: string;
  domain: string;
  verified: number;
  created_at: number;
  verification_token: string | null;
  verified_at: number | null;
  verified_by: string | null;
}

interface MemberRow {
  id: string;
  email: string;
  name: string;
  organization_role: OrganizationRole;
  active: number;
  password_hash: string;
  external_id: string | null;
}

/** The address a deleted user is moved to when a live user takes its email: `.invalid` (RFC 2606) is nobody's. */
export const releasedEmail = (userId: string) => `${userId.toLowerCase()}@deleted.invalid`;

export function newOrganizationId(): string {
  return `OR${randomBytes(16).toString('hex')}`;
}

export function normaliseDomain(domain: string): string {
  return domain.normalize('NFC').trim().toLowerCase();
}

/** The domain of an email address (after its last `@`), normalised; empty when there is none. */
export function emailDomain(email: string): string {
  const normalised = normaliseEmail(email);
  const at = normalised.lastIndexOf('@');
  return at < 0 ? '' : normalised.slice(at + 1);
}

const toOrganization = (row: OrganizationRow): Organization => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
});

const toDomain = (row: DomainRow): OrganizationDomain => ({
  organizationId: row.organization_id,
  domain: row.domain,
  verified: row.verified === 1,
  createdAt: row.created_at,
  verificationToken: row.verification_token ?? undefined,
  verifiedAt: row.verified_at ?? undefined,
  verifiedBy: row.verified_by ?? undefined,
});

const toMember = (row: MemberRow): OrganizationMember => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.organization_role,
  active: row.active === 1,
  ssoOnly: !hasUsablePassword(row.password_hash),
  externalId: row.external_id ?? undefined,
});

export class OrganizationStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  create({ name, id }: { name: string; id?: string }): Organization {
    const organizationId = id ?? newOrganizationId();
    this.db
      .prepare('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)')
      .run(organizationId, name, this.clock());
    return this.findById(organizationId)!;
  }

  findById(id: string): Organization | undefined {
    const row = this.db.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as OrganizationRow | undefined;
    return row && toOrganization(row);
  }

  domains(organizationId: string): OrganizationDomain[] {
    const rows = this.db
      .prepare('SELECT * FROM organization_domains WHERE organization_id = ? ORDER BY domain')
      .all(organizationId) as DomainRow[];
    return rows.map(toDomain);
  }

  /**
   * Claims `domain` for the organization (unverified unless stated), with a new verification token for its DNS
   * record. A domain belongs to one organization: claiming another's throws SQLite's UNIQUE constraint error.
   */
  addDomain(organizationId: string, domain: string, { verified = false }: { verified?: boolean } = {}) {
    this.db
      .prepare(
        `INSERT INTO organization_domains (organization_id, domain, verified, created_at, verification_token)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(organizationId, normaliseDomain(domain), verified ? 1 : 0, this.clock(), randomBytes(16).toString('hex'));
  }

  /** The organization's claim on `domain`, if it made one. */
  domain(organizationId: string, domain: string): OrganizationDomain | undefined {
    const row = this.db
      .prepare('SELECT * FROM organization_domains WHERE organization_id = ? AND domain = ?')
      .get(organizationId, normaliseDomain(domain)) as DomainRow | undefined;
    return row && toDomain(row);
  }

  /**
   * Marks the organization's claimed `domain` verified (by `by`, a Twilio user id, now); false when it has not
   * claimed it. Proving the claim is the caller's (domain-verification.ts).
   */
  verifyDomain(organizationId: string, domain: string, by?: string): boolean {
    const result = this.db
      .prepare(
        `UPDATE organization_domains SET verified = 1, verified_at = ?, verified_by = ?
         WHERE organization_id = ? AND domain = ?`,
      )
      .run(this.clock(), by ?? null, organizationId, normaliseDomain(domain));
    return result.changes === 1;
  }

  isVerifiedDomain(organizationId: string, domain: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM organization_domains WHERE organization_id = ? AND domain = ? AND verified = 1')
        .get(organizationId, normaliseDomain(domain)) !== undefined
    );
  }

  /** The organization that verified the email's domain, if any (SSO and SCIM apply to its users). */
  forEmail(email: string): Organization | undefined {
    const row = this.db
      .prepare(
        `SELECT o.* FROM organizations o JOIN organization_domains d ON d.organization_id = o.id
         WHERE d.domain = ? AND d.verified = 1`,
      )
      .get(emailDomain(email)) as OrganizationRow | undefined;
    return row && toOrganization(row);
  }

  /** The organization managing the user, with their role in it. */
  ofUser(userId: string): { organization: Organization; role: OrganizationRole } | undefined {
    const row = this.db
      .prepare(
        `SELECT o.*, u.organization_role AS role FROM users u JOIN organizations o ON o.id = u.organization_id
         WHERE u.id = ?`,
      )
      .get(userId) as (OrganizationRow & { role: OrganizationRole }) | undefined;
    return row && { organization: toOrganization(row), role: row.role };
  }

  /**
   * Whether `email` is the address of a member of the organization (deactivated or not; a user deleted by SCIM is
   * no member). SSO enforcement applies to members alone (../sso/sso-directory.ts).
   */
  hasMemberEmail(organizationId: string, email: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM users WHERE email = ? AND organization_id = ? AND deleted_at IS NULL')
        .get(normaliseEmail(email), organizationId) !== undefined
    );
  }

  isAdmin(organizationId: string, userId: string): boolean {
    const membership = this.ofUser(userId);
    return membership?.organization.id === organizationId && membership.role === 'admin';
  }

  /** Makes an existing Twilio user a managed user of the organization. */
  addMember(organizationId: string, userId: string, role: OrganizationRole = 'member'): void {
    this.db
      .prepare('UPDATE users SET organization_id = ?, organization_role = ?, updated_at = ? WHERE id = ?')
      .run(organizationId, role, this.clock(), userId);
  }

  /** The organization's members with their status, by email (users deleted by SCIM are `deletedUsers`). */
  members(organizationId: string): OrganizationMember[] {
    const rows = this.db
      .prepare(
        `SELECT id, email, name, organization_role, active, password_hash, external_id FROM users
         WHERE organization_id = ? AND deleted_at IS NULL ORDER BY email`,
      )
      .all(organizationId) as MemberRow[];
    return rows.map(toMember);
  }

  /** The users the organization deleted through SCIM, the latest first. */
  deletedUsers(organizationId: string): DeletedUser[] {
    const rows = this.db
      .prepare(
        `SELECT id, name, email, deleted_at FROM users
         WHERE organization_id = ? AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`,
      )
      .all(organizationId) as { id: string; name: string; email: string; deleted_at: number }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email === releasedEmail(row.id) ? undefined : row.email,
      deletedAt: row.deleted_at,
    }));
  }

  /**
   * Activates or deactivates a member. Returns whether it changed anything (false for a non-member, a user deleted
   * by SCIM — only SCIM brings them back — or no change); ending the user's sessions is the caller's (see
   * deprovisioning.ts).
   */
  setMemberActive(organizationId: string, userId: string, active: boolean): boolean {
    const result = this.db
      .prepare(
        `UPDATE users SET active = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND organization_id = ? AND deleted_at IS NULL AND active = ?`,
      )
      .run(active ? 1 : 0, this.clock(), userId, organizationId, active ? 0 : 1);
    return result.changes === 1;
  }
}
