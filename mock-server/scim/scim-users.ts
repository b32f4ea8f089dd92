/**
 * SCIM Users (RFC 7643 §4.1) of one organization, with Twilio's rules: `userName` is the primary email, its domain
 * must be one of the organization's verified domains (Twilio's error 25017 otherwise), `userName` and `emails` are
 * required, and a taken `userName` or `externalId` is a 409 `uniqueness` (a changed email is also checked against
 * unlinked Segment and SendGrid users, as the Console's email change does). Provisioned users have no Twilio
 * password (they sign in by SSO). `active: false` and DELETE deprovision; a DELETEd user is gone from SCIM, and
 * creating the same userName again brings the same Twilio user (and their product users) back, unless a live user
 * of the organization has taken that email (or externalId) since: a deleted user gives both up.
 *
 * A Twilio user who had an address on the domain before the organization verified it is no member of it (nobody
 * outside an organization takes an address on its verified domains, but they had it first): creating that
 * userName takes them in — the same user, with their password, products and links, becomes the organization's
 * managed member, and is told by mail. A member of another organization is still a 409.
 */
import { normaliseEmail } from '../../contract/email';
import { describeEmailCollision, findEmailCollision, moveLinkedProductEmails } from '../accounts/email-collision';
import { UNUSABLE_PASSWORD_HASH } from '../accounts/passwords';
import { newUserId } from '../accounts/users';
import { sendNotice } from '../mailbox/mailbox';
import type { OrganizationAudit } from '../organizations/audit';
import type { Deprovisioning } from '../organizations/deprovisioning';
import { emailDomain, type OrganizationStore, releasedEmail } from '../organizations/organizations';
import type { Db } from '../storage/database';
import { type FilterAttributes, filterToSql } from './filter';
import { ScimError } from './scim-errors';
import { applyPatch, type ListPage, listResponse, type Paging, scimMeta } from './scim-resources';
import { type PatchOperation, parseScim, SCHEMAS, type UserInput, UserInputSchema } from './scim-schemas';

interface UserRow {
  id: string;
  email: string;
  name: string;
  given_name: string | null;
  family_name: string | null;
  external_id: string | null;
  active: number;
  version: number;
  created_at: number;
  updated_at: number | null;
  deleted_at: number | null;
  organization_id: string | null;
}

export interface ScimUserResource {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName?: string; familyName?: string };
  displayName: string;
  emails: { value: string; type: 'work'; primary: true }[];
  active: boolean;
  groups: { value: string; display: string; $ref: string }[];
  meta: ReturnType<typeof scimMeta>;
}

/** What filters may name, and where it lives (emails are stored normalised, so `eq` is one index lookup). */
const EMAIL_COLUMN = { sql: 'u.email', kind: 'caseExactText', normalise: normaliseEmail } as const;
export const USER_FILTER_ATTRIBUTES: FilterAttributes = {
  columns: {
    id: { sql: 'u.id', kind: 'caseExactText' },
    username: EMAIL_COLUMN,
    externalid: { sql: 'u.external_id', kind: 'caseExactText' },
    'emails.value': EMAIL_COLUMN,
    emails: EMAIL_COLUMN,
    displayname: { sql: 'u.name', kind: 'text' },
    'name.formatted': { sql: 'u.name', kind: 'text' },
    'name.givenname': { sql: 'u.given_name', kind: 'text' },
    'name.familyname': { sql: 'u.family_name', kind: 'text' },
    active: { sql: 'u.active', kind: 'boolean' },
    'meta.created': { sql: 'u.created_at', kind: 'time' },
    'meta.lastmodified': { sql: 'COALESCE(u.updated_at, u.created_at)', kind: 'time' },
  },
  valuePaths: {
    emails: { value: EMAIL_COLUMN, type: { constant: 'work' }, primary: { constant: true } },
  },
};

/** The Twilio user behind a SCIM request, and what the request changed about their access. */
interface Change {
  resource: ScimUserResource;
  deactivated: boolean;
  reactivated: boolean;
}

export interface ScimUsersDeps {
  db: Db;
  clock: () => number;
  organizations: OrganizationStore;
  audit: OrganizationAudit;
  deprovisioning: Deprovisioning;
  /** `http://login…/scim/v2` */
  baseUrl: string;
}

/** The primary email of a SCIM user: the one marked primary, else the only one. */
function primaryEmail(input: UserInput): string {
  const primary = input.emails.filter((email) => email.primary === true);
  if (primary.length > 1) throw new ScimError('invalidValue', 'Only one email can be primary.');
  const chosen = primary[0] ?? (input.emails.length === 1 ? input.emails[0] : undefined);
  if (!chosen) throw new ScimError('invalidValue', 'Mark one of the emails primary (it must equal userName).');
  return normaliseEmail(chosen.value);
}

function displayNameOf(input: UserInput, email: string): string {
  const given = input.name?.givenName ?? '';
  const family = input.name?.familyName ?? '';
  return (input.displayName || input.name?.formatted || `${given} ${family}`.trim() || email).slice(0, 200);
}

/**
 * The one name Twilio keeps is both displayName and name.formatted, and a PATCH usually names one of them. A new
 * name.formatted with displayName untouched renames the user, as a PUT with that name.formatted does (displayName,
 * still the old name, would win otherwise); a new displayName wins as in a PUT.
 */
function withFormattedName(current: ScimUserResource, input: UserInput): UserInput {
  const formatted = input.name?.formatted;
  if (!formatted || formatted === current.name.formatted || input.displayName !== current.displayName) return input;
  return { ...input, displayName: formatted };
}

export class ScimUsers {
  constructor(private readonly deps: ScimUsersDeps) {}

  private row(organizationId: string, id: string): UserRow {
    const row = this.deps.db
      .prepare('SELECT * FROM users u WHERE u.id = ? AND u.organization_id = ? AND u.deleted_at IS NULL')
      .get(id, organizationId) as UserRow | undefined;
    if (!row) throw new ScimError('notFound', `No user ${id} in this organization.`);
    return row;
  }

  private groupsOf(userIds: string[]): Map<string, ScimUserResource['groups']> {
    const groups = new Map<string, ScimUserResource['groups']>();
    if (userIds.length === 0) return groups;
    const rows = this.deps.db
      .prepare(
        `SELECT m.user_id, g.id, g.display_name FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
         WHERE m.user_id IN (SELECT value FROM json_each(?)) ORDER BY g.display_name`,
      )
      .all(JSON.stringify(userIds)) as { user_id: string; id: string; display_name: string }[];
    for (const row of rows) {
      const list = groups.get(row.user_id) ?? [];
      list.push({ value: row.id, display: row.display_name, $ref: `${this.deps.baseUrl}/Groups/${row.id}` });
      groups.set(row.user_id, list);
    }
    return groups;
  }

  private resource(row: UserRow, groups = this.groupsOf([row.id]).get(row.id) ?? []): ScimUserResource {
    return {
      schemas: [SCHEMAS.user],
      id: row.id,
      ...(row.external_id ? { externalId: row.external_id } : {}),
      userName: row.email,
      name: {
        formatted: row.name,
        ...(row.given_name ? { givenName: row.given_name } : {}),
        ...(row.family_name ? { familyName: row.family_name } : {}),
      },
      displayName: row.name,
      emails: [{ value: row.email, type: 'work', primary: true }],
      active: row.active === 1,
      groups,
      meta: scimMeta('User', `${this.deps.baseUrl}/Users/${row.id}`, row),
    };
  }

  get(organizationId: string, id: string): ScimUserResource {
    return this.resource(this.row(organizationId, id));
  }

  list(organizationId: string, { filter, startIndex, count }: Paging): ListPage<ScimUserResource> {
    const condition = filter ? filterToSql(filter, USER_FILTER_ATTRIBUTES) : { where: '1', params: [] };
    const scope = `u.organization_id = ? AND u.deleted_at IS NULL AND (${condition.where})`;
    const params = [organizationId, ...condition.params];
    const { total } = this.deps.db.prepare(`SELECT COUNT(*) AS total FROM users u WHERE ${scope}`).get(...params) as {
      total: number;
    };
    const rows =
      count === 0
        ? []
        : (this.deps.db
            .prepare(`SELECT u.* FROM users u WHERE ${scope} ORDER BY u.id LIMIT ? OFFSET ?`)
            .all(...params, count, startIndex - 1) as UserRow[]);
    const groups = this.groupsOf(rows.map((row) => row.id));
    return listResponse(
      rows.map((row) => this.resource(row, groups.get(row.id) ?? [])),
      { total, startIndex },
    );
  }

  /**
   * POST /Users: a new managed user, the same user again after a DELETE, or an existing Twilio user of no
   * organization whose email is on this organization's verified domain, taken in (see the top of this file).
   */
  async create(organizationId: string, actor: string, body: unknown): Promise<ScimUserResource> {
    const input = parseScim(UserInputSchema, body);
    // Past this, the email's domain is one of the organization's verified domains (else 400, Twilio error 25017).
    const email = this.checkEmail(organizationId, input);
    const { db, clock } = this.deps;
    const change = db.transaction((): Change => {
      const existing = db.prepare('SELECT * FROM users u WHERE u.email = ?').get(email) as UserRow | undefined;
      const returning = existing?.organization_id === organizationId && existing.deleted_at !== null;
      const takenIn = existing !== undefined && existing.organization_id === null;
      if (existing && !returning && !takenIn) {
        throw new ScimError('uniqueness', `A user with userName ${email} already exists.`);
      }
      this.checkExternalId(organizationId, input.externalId ?? undefined, existing?.id);
      const id = existing?.id ?? newUserId();
      if (!existing) {
        db.prepare(
          `INSERT INTO users (id, email, name, password_hash, eligible, created_at, organization_id, organization_role,
             version) VALUES (?, ?, ?, ?, 1, ?, ?, 'member', 0)`,
        ).run(id, email, displayNameOf(input, email), UNUSABLE_PASSWORD_HASH, clock(), organizationId);
      }
      // Taken in: only the membership and the SCIM attributes change (not the password, products or links).
      if (takenIn) this.deps.organizations.addMember(organizationId, id);
      db.prepare('UPDATE users SET deleted_at = NULL WHERE id = ?').run(id);
      this.write(id, { ...input, active: input.active ?? true }, email);
      const row = this.row(organizationId, id);
      const what = takenIn ? 'Took in existing Twilio user' : existing ? 'Provisioned again' : 'Provisioned';
      this.deps.audit.record(organizationId, {
        actor,
        action: 'user_provisioned',
        targetUserId: id,
        details: `${what} ${email}${row.active ? '' : ' (inactive)'}`,
      });
      if (takenIn) {
        const organization = this.deps.organizations.findById(organizationId)?.name;
        sendNotice(db, { to: email, kind: 'organization_took_in', organization }, clock());
      }
      // A user taken in as inactive had sessions of their own: they end, as for any deactivated member.
      const deactivated = takenIn && existing.active === 1 && row.active === 0;
      return { resource: this.resource(row), deactivated, reactivated: false };
    })();
    if (change.deactivated) await this.deps.deprovisioning.signOutEverywhere(change.resource.id);
    return change.resource;
  }

  /** PUT /Users/:id: replaces every attribute we keep (absent optional ones are cleared). */
  async replace(organizationId: string, actor: string, id: string, body: unknown, ifMatch?: string) {
    const input = parseScim(UserInputSchema, body);
    return this.update(organizationId, actor, id, input, ifMatch);
  }

  /** PATCH /Users/:id: the operations applied to the current resource (all or nothing), then the same rules. */
  async patch(organizationId: string, actor: string, id: string, operations: PatchOperation[], ifMatch?: string) {
    const current = this.get(organizationId, id);
    const patched = applyPatch(current, operations, { readOnly: ['id', 'meta', 'groups', 'schemas'] });
    const input = parseScim(UserInputSchema, patched);
    return this.update(organizationId, actor, id, withFormattedName(current, input), ifMatch);
  }

  /** DELETE /Users/:id: deprovisions the user and removes them from SCIM (and from the organization's groups). */
  async delete(organizationId: string, actor: string, id: string, ifMatch?: string): Promise<void> {
    const { db, clock } = this.deps;
    db.transaction(() => {
      const row = this.row(organizationId, id);
      checkVersion(row, ifMatch);
      db.prepare('UPDATE users SET active = 0, deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?').run(
        clock(),
        clock(),
        id,
      );
      db.prepare('DELETE FROM scim_group_members WHERE user_id = ?').run(id);
      this.deps.audit.record(organizationId, {
        actor,
        action: 'user_deleted',
        targetUserId: id,
        details: `Deleted ${row.email} (deprovisioned)`,
      });
    })();
    await this.deps.deprovisioning.signOutEverywhere(id);
  }

  private async update(organizationId: string, actor: string, id: string, input: UserInput, ifMatch?: string) {
    const { db } = this.deps;
    const change = db.transaction((): Change => {
      const before = this.row(organizationId, id);
      checkVersion(before, ifMatch);
      // The domain rule applies to a new email; deactivating a user whose domain is no longer verified still works.
      const email = this.checkEmail(organizationId, input, { keeping: before.email });
      if (email !== before.email) this.releaseDeletedUsersEmail(organizationId, actor, email, before.email);
      // A new email follows the Console's email-change rules: not another Twilio user's, nor an unlinked
      // Segment or SendGrid user's (that user would be locked out), and linked product users move along.
      const collision = email === before.email ? undefined : findEmailCollision(db, email, id);
      if (collision) {
        const detail =
          collision.kind === 'twilio_user'
            ? `A user with userName ${email} already exists.`
            : describeEmailCollision(email, collision);
        throw new ScimError('uniqueness', detail);
      }
      this.checkExternalId(organizationId, input.externalId ?? undefined, id);
      this.write(id, input, email);
      if (email !== before.email) moveLinkedProductEmails(db, id, email);
      const after = this.row(organizationId, id);
      const deactivated = before.active === 1 && after.active === 0;
      const reactivated = before.active === 0 && after.active === 1;
      const changes = describeChanges(before, after);
      this.deps.audit.record(organizationId, {
        actor,
        action: deactivated ? 'user_deactivated' : reactivated ? 'user_reactivated' : 'user_updated',
        targetUserId: id,
        details: `${deactivated ? 'Deactivated' : reactivated ? 'Reactivated' : 'Updated'} ${after.email}${changes}`,
      });
      return { resource: this.resource(after), deactivated, reactivated };
    })();
    if (change.deactivated) await this.deps.deprovisioning.signOutEverywhere(id);
    return change.resource;
  }

  /** Twilio's rules on the email: userName is the primary email, of a verified domain of the organization. */
  private checkEmail(organizationId: string, input: UserInput, { keeping }: { keeping?: string } = {}): string {
    const email = normaliseEmail(input.userName);
    if (primaryEmail(input) !== email) {
      throw new ScimError('invalidValue', 'userName must equal the primary email (emails[primary eq true].value).');
    }
    if (email !== keeping && !this.deps.organizations.isVerifiedDomain(organizationId, emailDomain(email))) {
      throw new ScimError(
        'invalidValue',
        `The email domain is unverified (Twilio error 25017): ${emailDomain(email)} is not a verified domain of this organization.`,
      );
    }
    return email;
  }

  /**
   * Refuses an externalId another user of the organization has. A DELETEd user is gone from SCIM, so the client
   * cannot see what it would clash with: the deleted user gives the externalId up (creating that user again sets
   * whatever externalId the client sends then). Runs inside the caller's transaction.
   */
  private checkExternalId(organizationId: string, externalId: string | undefined, ownId: string | undefined) {
    if (!externalId) return;
    const other = this.deps.db
      .prepare('SELECT id, deleted_at FROM users WHERE organization_id = ? AND external_id = ? AND id IS NOT ?')
      .get(organizationId, externalId, ownId ?? null) as { id: string; deleted_at: number | null } | undefined;
    if (!other) return;
    if (other.deleted_at === null)
      throw new ScimError('uniqueness', `Another user already has externalId ${externalId}.`);
    this.deps.db.prepare('UPDATE users SET external_id = NULL WHERE id = ?').run(other.id);
  }

  /**
   * A DELETEd user of the organization is gone from SCIM, and RFC 7644 §3.6 says it should not count in conflicts:
   * the client cannot see what it would clash with. So it gives `email` up, as it does its externalId. Its row stays
   * (its product users point at it by subject, never by email) at an address nobody can hold, its linked product
   * users with it (their emails are unique too); creating `email` again is then a clash with the live user, which
   * the client can see. Runs inside the caller's transaction.
   */
  private releaseDeletedUsersEmail(organizationId: string, actor: string, email: string, takerEmail: string) {
    const { db } = this.deps;
    const deleted = db
      .prepare('SELECT id FROM users WHERE email = ? AND organization_id = ? AND deleted_at IS NOT NULL')
      .get(email, organizationId) as { id: string } | undefined;
    if (!deleted) return;
    const released = releasedEmail(deleted.id);
    db.prepare('UPDATE users SET email = ? WHERE id = ?').run(released, deleted.id);
    moveLinkedProductEmails(db, deleted.id, released);
    this.deps.audit.record(organizationId, {
      actor,
      action: 'user_updated',
      targetUserId: deleted.id,
      details: `Deleted user gave up ${email} to ${takerEmail}`,
    });
  }

  private write(id: string, input: UserInput, email: string): void {
    const now = this.deps.clock();
    this.deps.db
      .prepare(
        `UPDATE users SET email = ?, name = ?, given_name = ?, family_name = ?, external_id = ?,
           active = COALESCE(?, active), version = version + 1, updated_at = ? WHERE id = ?`,
      )
      .run(
        email,
        displayNameOf(input, email),
        input.name?.givenName || null,
        input.name?.familyName || null,
        input.externalId || null,
        input.active === undefined ? null : input.active ? 1 : 0,
        now,
        id,
      );
  }
}

export function checkVersion(row: { version: number }, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes(`"${row.version}"`)) {
    throw new ScimError(
      'preconditionFailed',
      'The resource changed since you read it (If-Match does not match its version).',
    );
  }
}

function describeChanges(before: UserRow, after: UserRow): string {
  const changed: string[] = [];
  if (before.email !== after.email) changed.push(`userName ${before.email} → ${after.email}`);
  if (before.name !== after.name) changed.push('name');
  if (before.external_id !== after.external_id) changed.push('externalId');
  return changed.length ? ` (${changed.join(', ')})` : '';
}
