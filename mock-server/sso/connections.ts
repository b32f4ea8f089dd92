/**
 * An organization's SSO connection: the SAML identity provider it connected, whether SSO is enforced for its
 * members, and whether the IdP may start a sign-in on its own (IdP-initiated). One connection per organization.
 */
import type { Db } from '../storage/database';
import type { IdentityProviderSettings } from './idp-metadata';

export interface SsoConnection extends IdentityProviderSettings {
  organizationId: string;
  /** Members cannot sign in with a password; their verified-domain emails go straight to the IdP. */
  enforced: boolean;
  /** Accept responses the IdP sends without an AuthnRequest from Twilio. */
  allowIdpInitiated: boolean;
  updatedAt: number;
  updatedBy: string | undefined;
}

interface Row {
  organization_id: string;
  idp_entity_id: string;
  sso_url: string;
  certificates: string;
  enforced: number;
  allow_idp_initiated: number;
  updated_at: number;
  updated_by: string | null;
}

function toConnection(row: Row): SsoConnection {
  return {
    organizationId: row.organization_id,
    entityId: row.idp_entity_id,
    ssoUrl: row.sso_url,
    certificates: JSON.parse(row.certificates) as string[],
    enforced: row.enforced === 1,
    allowIdpInitiated: row.allow_idp_initiated === 1,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by ?? undefined,
  };
}

export class SsoConnections {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  find(organizationId: string): SsoConnection | undefined {
    const row = this.db.prepare('SELECT * FROM sso_connections WHERE organization_id = ?').get(organizationId) as
      | Row
      | undefined;
    return row && toConnection(row);
  }

  /** Connects the IdP, or replaces the one connected (keeping the enforcement settings). */
  connect(organizationId: string, idp: IdentityProviderSettings, by?: string): SsoConnection {
    this.db
      .prepare(
        `INSERT INTO sso_connections (organization_id, idp_entity_id, sso_url, certificates, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (organization_id) DO UPDATE SET idp_entity_id = excluded.idp_entity_id,
           sso_url = excluded.sso_url, certificates = excluded.certificates, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
      )
      .run(organizationId, idp.entityId, idp.ssoUrl, JSON.stringify(idp.certificates), this.clock(), by ?? null);
    return this.find(organizationId)!;
  }

  /** Returns false when the organization has no IdP connected (nothing to enforce). */
  configure(organizationId: string, settings: { enforced: boolean; allowIdpInitiated: boolean }, by?: string): boolean {
    const result = this.db
      .prepare(
        `UPDATE sso_connections SET enforced = ?, allow_idp_initiated = ?, updated_at = ?, updated_by = ?
         WHERE organization_id = ?`,
      )
      .run(settings.enforced ? 1 : 0, settings.allowIdpInitiated ? 1 : 0, this.clock(), by ?? null, organizationId);
    return result.changes === 1;
  }

  disconnect(organizationId: string): void {
    this.db.prepare('DELETE FROM sso_connections WHERE organization_id = ?').run(organizationId);
  }
}
