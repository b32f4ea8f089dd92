/**
 * A product's "homes" — Segment's workspaces, SendGrid's accounts — and who belongs to each with which role,
 * most recently visited first. Each product keeps its own tables and words; this is the logic they share.
 */
import type { Db } from '../storage/database';
import { newId } from './product-users';

export interface Home {
  id: string;
  name: string;
  plan: string;
}

export interface HomeMembership<Role extends string> extends Home {
  role: Role;
  lastVisitedAt: number | undefined;
}

/** Table and column names of one product's homes (fixed strings from the product's store, never input). */
export interface HomeTables {
  homes: string;
  members: string;
  /** The members table's column naming the home, e.g. `workspace_id`. */
  homeColumn: string;
  idPrefix: string;
}

export class ProductHomes<Role extends string> {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    private readonly tables: HomeTables,
  ) {}

  create(name: string, { id, plan = 'free' }: { id?: string; plan?: string } = {}): Home {
    const home = { id: id ?? newId(this.tables.idPrefix), name, plan };
    this.db
      .prepare(`INSERT INTO ${this.tables.homes} (id, name, plan, created_at) VALUES (?, ?, ?, ?)`)
      .run(home.id, name, plan, this.clock());
    return home;
  }

  addMember(homeId: string, userId: string, role: Role): void {
    this.db
      .prepare(
        `INSERT INTO ${this.tables.members} (${this.tables.homeColumn}, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
      )
      .run(homeId, userId, role, this.clock());
  }

  /** The user's homes with their role, most recently visited first (never visited last, oldest first). */
  of(userId: string): HomeMembership<Role>[] {
    const { homes, members, homeColumn } = this.tables;
    const rows = this.db
      .prepare(
        `SELECT h.id, h.name, h.plan, m.role, m.last_visited_at FROM ${members} m
         JOIN ${homes} h ON h.id = m.${homeColumn} WHERE m.user_id = ?
         ORDER BY m.last_visited_at IS NULL, m.last_visited_at DESC, m.created_at, h.id`,
      )
      .all(userId) as { id: string; name: string; plan: string; role: Role; last_visited_at: number | null }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      plan: row.plan,
      role: row.role,
      lastVisitedAt: row.last_visited_at ?? undefined,
    }));
  }

  membership(userId: string, homeId: string): HomeMembership<Role> | undefined {
    return this.of(userId).find((home) => home.id === homeId);
  }

  markVisited(userId: string, homeId: string): void {
    this.db
      .prepare(
        `UPDATE ${this.tables.members} SET last_visited_at = ? WHERE user_id = ? AND ${this.tables.homeColumn} = ?`,
      )
      .run(this.clock(), userId, homeId);
  }
}
