/**
 * The organization state a world file sets that no store writes outside a SCIM request: a deactivated member, what
 * SCIM provisioned of a member (externalId, given and family name), and a SCIM group with its members. Written as
 * SCIM would leave them, without the audit events a SCIM client's request records (a world file has no history).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/database';

/** Deactivated as by SCIM `active: false`: the user signs in nowhere until the organization reactivates them. */
export function deactivateUser(db: Db, userId: string): void {
  db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
}

/** A member's SCIM attributes, as SCIM's create or replace leaves them (absent ones stay empty). */
export function setScimAttributes(
  db: Db,
  userId: string,
  attributes: { externalId?: string | undefined; givenName?: string | undefined; familyName?: string | undefined },
): void {
  db.prepare('UPDATE users SET external_id = ?, given_name = ?, family_name = ? WHERE id = ?').run(
    attributes.externalId ?? null,
    attributes.givenName ?? null,
    attributes.familyName ?? null,
    userId,
  );
}

export function addScimGroup(
  db: Db,
  organizationId: string,
  group: { displayName: string; externalId?: string | undefined; memberIds: readonly string[] },
  now: number = Date.now(),
): string {
  const id = `GR${randomBytes(16).toString('hex')}`;
  db.prepare(
    `INSERT INTO scim_groups (id, organization_id, display_name, external_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(id, organizationId, group.displayName, group.externalId ?? null, now, now);
  const member = db.prepare('INSERT INTO scim_group_members (group_id, user_id) VALUES (?, ?)');
  for (const userId of group.memberIds) member.run(id, userId);
  return id;
}
