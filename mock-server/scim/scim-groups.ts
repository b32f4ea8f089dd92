/**
 * SCIM Groups (RFC 7643 §4.2) of one organization: a display name unique in the organization, an optional
 * externalId, and members who are the organization's own (not deleted) users. Membership changes arrive as PATCH
 * add/remove (Microsoft Entra, Okta's group push) or as a PUT of the whole member list.
 */
import { randomBytes } from 'node:crypto';
import type { OrganizationAudit } from '../organizations/audit';
import type { Db } from '../storage/database';
import { type FilterAttributes, filterToSql } from './filter';
import { ScimError } from './scim-errors';
import { applyPatch, type ListPage, listResponse, type Paging, scimMeta } from './scim-resources';
import {
  type GroupInput,
  GroupInputSchema,
  MAX_GROUP_MEMBERS_PER_REQUEST,
  PatchedGroupSchema,
  type PatchOperation,
  parseScim,
  SCHEMAS,
} from './scim-schemas';
import { checkVersion } from './scim-users';

interface GroupRow {
  id: string;
  organization_id: string;
  display_name: string;
  external_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ScimGroupResource {
  schemas: string[];
  id: string;
  displayName: string;
  externalId?: string;
  members?: { value: string; display: string; $ref: string }[];
  meta: ReturnType<typeof scimMeta>;
}

export const GROUP_FILTER_ATTRIBUTES: FilterAttributes = {
  columns: {
    id: { sql: 'g.id', kind: 'caseExactText' },
    displayname: { sql: 'g.display_name', kind: 'text' },
    externalid: { sql: 'g.external_id', kind: 'caseExactText' },
  },
};

/**
 * Entra removes members as `{"op":"Remove","path":"members","value":[{"value":"US…"}]}`; scim-patch would compare
 * whole member objects (with `display` and `$ref`), so each becomes a removal by `members[value eq "US…"]`. A single
 * member object is one such removal (scim-patch would match nothing and answer 200 with the member still there).
 */
function removeByValue(operation: PatchOperation): PatchOperation[] {
  if (operation.op !== 'remove' || operation.path?.toLowerCase() !== 'members' || operation.value === undefined) {
    return [operation];
  }
  const members: unknown[] = Array.isArray(operation.value) ? operation.value : [operation.value];
  return members.map((member: unknown) => {
    const value = (member as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value.includes('"')) {
      throw new ScimError('invalidValue', 'Each member to remove needs a "value" (a user id).');
    }
    return { op: 'remove' as const, path: `members[value eq "${value}"]` };
  });
}

export interface ScimGroupsDeps {
  db: Db;
  clock: () => number;
  audit: OrganizationAudit;
  baseUrl: string;
}

export class ScimGroups {
  constructor(private readonly deps: ScimGroupsDeps) {}

  private row(organizationId: string, id: string): GroupRow {
    const row = this.deps.db
      .prepare('SELECT * FROM scim_groups g WHERE g.id = ? AND g.organization_id = ?')
      .get(id, organizationId) as GroupRow | undefined;
    if (!row) throw new ScimError('notFound', `No group ${id} in this organization.`);
    return row;
  }

  private resource(row: GroupRow, { withMembers = true } = {}): ScimGroupResource {
    const members = withMembers
      ? (
          this.deps.db
            .prepare(
              `SELECT u.id, u.email FROM scim_group_members m JOIN users u ON u.id = m.user_id
               WHERE m.group_id = ? ORDER BY u.email`,
            )
            .all(row.id) as { id: string; email: string }[]
        ).map((member) => ({
          value: member.id,
          display: member.email,
          $ref: `${this.deps.baseUrl}/Users/${member.id}`,
        }))
      : undefined;
    return {
      schemas: [SCHEMAS.group],
      id: row.id,
      displayName: row.display_name,
      ...(row.external_id ? { externalId: row.external_id } : {}),
      ...(members ? { members } : {}),
      meta: scimMeta('Group', `${this.deps.baseUrl}/Groups/${row.id}`, row),
    };
  }

  get(organizationId: string, id: string, options?: { withMembers?: boolean }): ScimGroupResource {
    return this.resource(this.row(organizationId, id), options);
  }

  list(organizationId: string, { filter, startIndex, count }: Paging, options?: { withMembers?: boolean }) {
    const condition = filter ? filterToSql(filter, GROUP_FILTER_ATTRIBUTES) : { where: '1', params: [] };
    const scope = `g.organization_id = ? AND (${condition.where})`;
    const params = [organizationId, ...condition.params];
    const { total } = this.deps.db
      .prepare(`SELECT COUNT(*) AS total FROM scim_groups g WHERE ${scope}`)
      .get(...params) as {
      total: number;
    };
    const rows = this.deps.db
      .prepare(`SELECT g.* FROM scim_groups g WHERE ${scope} ORDER BY g.display_name LIMIT ? OFFSET ?`)
      .all(...params, count, startIndex - 1) as GroupRow[];
    return listResponse(
      rows.map((row) => this.resource(row, options)),
      { total, startIndex },
    ) satisfies ListPage<ScimGroupResource>;
  }

  create(organizationId: string, actor: string, body: unknown): ScimGroupResource {
    const input = parseScim(GroupInputSchema, body);
    const { db, clock } = this.deps;
    return db.transaction(() => {
      this.checkUnique(organizationId, input);
      const id = `GR${randomBytes(16).toString('hex')}`;
      db.prepare(
        `INSERT INTO scim_groups (id, organization_id, display_name, external_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(id, organizationId, input.displayName, input.externalId || null, clock(), clock());
      this.setMembers(organizationId, id, input.members?.map((member) => member.value) ?? []);
      this.deps.audit.record(organizationId, {
        actor,
        action: 'group_created',
        details: `Created group ${input.displayName}`,
      });
      return this.get(organizationId, id);
    })();
  }

  replace(organizationId: string, actor: string, id: string, body: unknown, ifMatch?: string): ScimGroupResource {
    return this.update(organizationId, actor, id, parseScim(GroupInputSchema, body), ifMatch);
  }

  patch(organizationId: string, actor: string, id: string, operations: PatchOperation[], ifMatch?: string) {
    const current = this.get(organizationId, id);
    const patched = applyPatch({ ...current, members: current.members ?? [] }, operations.flatMap(removeByValue), {
      readOnly: ['id', 'meta', 'schemas'],
    });
    const input = parseScim(PatchedGroupSchema, patched);
    const before = new Set((current.members ?? []).map((member) => member.value));
    const after = new Set((input.members ?? []).map((member) => member.value));
    const changed =
      [...after].filter((value) => !before.has(value)).length + [...before].filter((value) => !after.has(value)).length;
    if (changed > MAX_GROUP_MEMBERS_PER_REQUEST) {
      throw new ScimError(
        'invalidValue',
        `A PATCH may add or remove at most ${MAX_GROUP_MEMBERS_PER_REQUEST} members; this one changes ${changed}.`,
      );
    }
    return this.update(organizationId, actor, id, input, ifMatch);
  }

  delete(organizationId: string, actor: string, id: string, ifMatch?: string): void {
    const { db } = this.deps;
    db.transaction(() => {
      const row = this.row(organizationId, id);
      checkVersion(row, ifMatch);
      db.prepare('DELETE FROM scim_groups WHERE id = ?').run(id);
      this.deps.audit.record(organizationId, {
        actor,
        action: 'group_deleted',
        details: `Deleted group ${row.display_name}`,
      });
    })();
  }

  private update(organizationId: string, actor: string, id: string, input: GroupInput, ifMatch?: string) {
    const { db, clock } = this.deps;
    return db.transaction(() => {
      const before = this.row(organizationId, id);
      checkVersion(before, ifMatch);
      this.checkUnique(organizationId, input, before);
      db.prepare(
        'UPDATE scim_groups SET display_name = ?, external_id = ?, version = version + 1, updated_at = ? WHERE id = ?',
      ).run(input.displayName, input.externalId || null, clock(), id);
      const { added, removed } = this.setMembers(
        organizationId,
        id,
        input.members?.map((member) => member.value) ?? [],
      );
      this.deps.audit.record(organizationId, {
        actor,
        action: 'group_updated',
        details: `Updated group ${input.displayName}: ${added} member(s) added, ${removed} removed`,
      });
      return this.get(organizationId, id);
    })();
  }

  /**
   * Refuses a displayName another group of the organization has in any case (RFC 7643 §4.2: caseExact false),
   * compared as the displayName filter compares it (SQLite's NOCASE, which folds ASCII letters), or its externalId.
   * A name the group already has is not checked again, so a pair that differs only by case from before this rule
   * still takes member changes.
   */
  private checkUnique(organizationId: string, input: GroupInput, own?: GroupRow): void {
    const name = input.displayName === own?.display_name ? null : input.displayName;
    const clash = this.deps.db
      .prepare(
        `SELECT display_name FROM scim_groups WHERE organization_id = ? AND id IS NOT ?
         AND (display_name = ? COLLATE NOCASE OR (? IS NOT NULL AND external_id = ?))`,
      )
      .get(organizationId, own?.id ?? null, name, input.externalId ?? null, input.externalId ?? null);
    if (clash) throw new ScimError('uniqueness', `A group named ${input.displayName} (or with its externalId) exists.`);
  }

  /** Makes the group's members exactly `userIds`; each must be a user of the organization. */
  private setMembers(organizationId: string, groupId: string, userIds: string[]): { added: number; removed: number } {
    const { db } = this.deps;
    const wanted = [...new Set(userIds)];
    const known = db
      .prepare(
        `SELECT id FROM users WHERE organization_id = ? AND deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))`,
      )
      .all(organizationId, JSON.stringify(wanted)) as { id: string }[];
    if (known.length !== wanted.length) {
      const found = new Set(known.map((row) => row.id));
      const missing = wanted.find((id) => !found.has(id));
      throw new ScimError('invalidValue', `The member ${missing} is not a user of this organization.`);
    }
    const current = new Set(
      (
        db.prepare('SELECT user_id FROM scim_group_members WHERE group_id = ?').all(groupId) as { user_id: string }[]
      ).map((row) => row.user_id),
    );
    const add = wanted.filter((id) => !current.has(id));
    const remove = [...current].filter((id) => !wanted.includes(id));
    const insert = db.prepare('INSERT INTO scim_group_members (group_id, user_id) VALUES (?, ?)');
    const drop = db.prepare('DELETE FROM scim_group_members WHERE group_id = ? AND user_id = ?');
    for (const id of add) insert.run(groupId, id);
    for (const id of remove) drop.run(groupId, id);
    return { added: add.length, removed: remove.length };
  }
}
