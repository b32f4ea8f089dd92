/**
 * Segment's own data (app.segment.localhost): users, workspaces, memberships with roles, workspace invitations
 * (expire after 7 days), per-user timezone and session history. Roles and invitations belong to Segment's
 * workspaces and are never touched by linking (docs/architecture.md, "Identity and products").
 */
import { normaliseEmail } from '../../contract/email';
import { type Home, type HomeMembership, ProductHomes } from '../products/product-homes';
import { type LoginMethod, newId, ProductUsers } from '../products/product-users';
import type { Db } from '../storage/database';

export const SEGMENT_ROLES = ['Owner', 'Member', 'Read-only'] as const;
export type SegmentRole = (typeof SEGMENT_ROLES)[number];

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
/** Session history kept per user on the settings page. */
export const SESSION_HISTORY_SHOWN = 20;

export type Workspace = Home;
export type WorkspaceMembership = HomeMembership<SegmentRole>;

export interface Invitation {
  id: string;
  workspaceId: string;
  email: string;
  role: SegmentRole;
  createdAt: number;
  expiresAt: number;
  expired: boolean;
}

export interface SessionHistoryEntry {
  at: number;
  method: LoginMethod;
  userAgent: string;
  /** A readable name of the browser, e.g. "Chromium on Linux" (absent for entries from before it was recorded). */
  device: string | undefined;
}

export class SegmentStore {
  readonly users: ProductUsers;
  private readonly workspaces: ProductHomes<SegmentRole>;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {
    this.users = new ProductUsers(db, 'segment_users', 'seg_usr', clock);
    this.workspaces = new ProductHomes(db, clock, {
      homes: 'segment_workspaces',
      members: 'segment_memberships',
      homeColumn: 'workspace_id',
      idPrefix: 'ws',
    });
  }

  createWorkspace(name: string, options: { id?: string; plan?: string } = {}): Workspace {
    return this.workspaces.create(name, options);
  }

  addMember(workspaceId: string, userId: string, role: SegmentRole): void {
    this.workspaces.addMember(workspaceId, userId, role);
  }

  /** The user's workspaces with their role, most recently visited first. */
  workspacesOf(userId: string): WorkspaceMembership[] {
    return this.workspaces.of(userId);
  }

  membership(userId: string, workspaceId: string): WorkspaceMembership | undefined {
    return this.workspaces.membership(userId, workspaceId);
  }

  markVisited(userId: string, workspaceId: string): void {
    this.workspaces.markVisited(userId, workspaceId);
  }

  invite(workspaceId: string, email: string, role: SegmentRole, invitedBy?: string): Invitation {
    const now = this.clock();
    const id = newId('inv');
    this.db
      .prepare(
        `INSERT INTO segment_invitations (id, workspace_id, email, role, invited_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, workspaceId, normaliseEmail(email), role, invitedBy ?? null, now, now + INVITATION_TTL_MS);
    return this.invitationsFor(workspaceId).find((invitation) => invitation.id === id)!;
  }

  /** A workspace's invitations, newest first; expired ones are listed as such. */
  invitationsFor(workspaceId: string): Invitation[] {
    const now = this.clock();
    const rows = this.db
      .prepare(
        `SELECT id, workspace_id, email, role, created_at, expires_at FROM segment_invitations
         WHERE workspace_id = ? ORDER BY created_at DESC, id`,
      )
      .all(workspaceId) as {
      id: string;
      workspace_id: string;
      email: string;
      role: SegmentRole;
      created_at: number;
      expires_at: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      email: row.email,
      role: row.role,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      expired: row.expires_at <= now,
    }));
  }

  /** One row per login, password or Twilio, with the browser's user agent and its readable device name. */
  recordLogin(userId: string, method: LoginMethod, userAgent: string, device?: string): void {
    this.db
      .prepare('INSERT INTO segment_session_history (user_id, at, method, user_agent, device) VALUES (?, ?, ?, ?, ?)')
      .run(userId, this.clock(), method, userAgent.slice(0, 256), device?.slice(0, 128) ?? null);
  }

  sessionHistory(userId: string, limit = SESSION_HISTORY_SHOWN): SessionHistoryEntry[] {
    const rows = this.db
      .prepare(
        'SELECT at, method, user_agent, device FROM segment_session_history WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?',
      )
      .all(userId, limit) as { at: number; method: LoginMethod; user_agent: string; device: string | null }[];
    return rows.map((row) => ({
      at: row.at,
      method: row.method,
      userAgent: row.user_agent,
      device: row.device ?? undefined,
    }));
  }
}
