/**
 * The organization's audit trail: who provisioned, changed, deactivated, reactivated or deleted a managed user,
 * who created or revoked a SCIM app, claimed or verified a domain, and connected the IdP or changed SSO's rules. Actors are `scim:<client id>` (a provisioning client) or
 * `user:<Twilio user id>` (an organization admin in the Console).
 */
import type { Db } from '../storage/database';

export type OrganizationAction =
  | 'user_provisioned'
  | 'user_updated'
  | 'user_deactivated'
  | 'user_reactivated'
  | 'user_deleted'
  | 'group_created'
  | 'group_updated'
  | 'group_deleted'
  | 'scim_app_created'
  | 'scim_app_deleted'
  | 'domain_claimed'
  | 'domain_verified'
  | 'sso_connected'
  | 'sso_rules_changed';

export interface OrganizationEvent {
  id: number;
  actor: string;
  action: OrganizationAction;
  targetUserId: string | undefined;
  details: string;
  at: number;
}

interface EventRow {
  id: number;
  actor: string;
  action: OrganizationAction;
  target_user_id: string | null;
  details: string;
  at: number;
}

export const scimActor = (clientId: string) => `scim:${clientId}`;
export const userActor = (userId: string) => `user:${userId}`;

export class OrganizationAudit {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  record(
    organizationId: string,
    event: { actor: string; action: OrganizationAction; targetUserId?: string; details: string },
  ): void {
    this.db
      .prepare(
        `INSERT INTO organization_events (organization_id, actor, action, target_user_id, details, at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(organizationId, event.actor, event.action, event.targetUserId ?? null, event.details, this.clock());
  }

  /** The latest events first. */
  latest(organizationId: string, limit = 50): OrganizationEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM organization_events WHERE organization_id = ? ORDER BY id DESC LIMIT ?')
      .all(organizationId, limit) as EventRow[];
    return rows.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      targetUserId: row.target_user_id ?? undefined,
      details: row.details,
      at: row.at,
    }));
  }
}
