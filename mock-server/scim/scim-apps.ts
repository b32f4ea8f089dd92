/**
 * SCIM apps: OAuth 2.0 clients an organization admin creates in the Console so a provisioning client (Okta,
 * Microsoft Entra, …) can get access tokens from the Twilio IdP's token endpoint with the client credentials grant
 * and the `scim` scope. Each app belongs to one organization, and its tokens reach only that organization's users.
 *
 * The app is two rows written together: `scim_apps` (organization, name, who created it) and the `Client` record
 * oidc-provider's adapter reads from `oidc_models` (so the provider finds the client, and forgets it once deleted).
 * The client record holds only an argon2id hash of the secret (../identity/hashed-client-secrets.ts verifies it).
 */
import { randomBytes } from 'node:crypto';
import { hashClientSecret } from '../storage/client-secrets';
import type { Db } from '../storage/database';

/** The scope a SCIM app's tokens carry; the SCIM API refuses tokens without it. */
export const SCIM_SCOPE = 'scim';

export interface ScimApp {
  clientId: string;
  organizationId: string;
  name: string;
  createdBy: string | undefined;
  createdAt: number;
}

/** A new app's credentials: the secret is shown once and never again. */
export interface ScimAppCredentials {
  clientId: string;
  clientSecret: string;
}

interface ScimAppRow {
  client_id: string;
  organization_id: string;
  name: string;
  created_by: string | null;
  created_at: number;
}

const MAX_APP_NAME_LENGTH = 80;

export class ScimApps {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Creates an app for the organization; `credentials` fixes the id and secret (the demo world's app). */
  create(
    organizationId: string,
    { name, createdBy, credentials }: { name: string; createdBy?: string; credentials?: ScimAppCredentials },
  ): ScimAppCredentials {
    const clientId = credentials?.clientId ?? `scim_${randomBytes(16).toString('hex')}`;
    const clientSecret = credentials?.clientSecret ?? randomBytes(32).toString('base64url');
    const appName = name.trim().slice(0, MAX_APP_NAME_LENGTH) || 'SCIM app';
    const metadata = {
      client_id: clientId,
      client_secret: hashClientSecret(clientSecret),
      client_name: appName,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCIM_SCOPE,
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO scim_apps (client_id, organization_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(clientId, organizationId, appName, createdBy ?? null, this.clock());
      this.db
        .prepare(`INSERT INTO oidc_models (model, id, payload) VALUES ('Client', ?, ?)`)
        .run(clientId, JSON.stringify(metadata));
    })();
    return { clientId, clientSecret };
  }

  list(organizationId: string): ScimApp[] {
    const rows = this.db
      .prepare('SELECT * FROM scim_apps WHERE organization_id = ? ORDER BY created_at, client_id')
      .all(organizationId) as ScimAppRow[];
    return rows.map((row) => ({
      clientId: row.client_id,
      organizationId: row.organization_id,
      name: row.name,
      createdBy: row.created_by ?? undefined,
      createdAt: row.created_at,
    }));
  }

  /** The organization whose app `clientId` is, if it is a SCIM app. */
  organizationOf(clientId: string): string | undefined {
    const row = this.db.prepare('SELECT organization_id FROM scim_apps WHERE client_id = ?').get(clientId) as
      | { organization_id: string }
      | undefined;
    return row?.organization_id;
  }

  /** Deletes the organization's app: the client and every token it was issued stop working at once. */
  delete(organizationId: string, clientId: string): boolean {
    return this.db.transaction(() => {
      const removed = this.db
        .prepare('DELETE FROM scim_apps WHERE client_id = ? AND organization_id = ?')
        .run(clientId, organizationId);
      if (removed.changes !== 1) return false;
      this.db.prepare(`DELETE FROM oidc_models WHERE model = 'Client' AND id = ?`).run(clientId);
      this.db
        .prepare(
          `DELETE FROM oidc_models WHERE model = 'ClientCredentials' AND json_extract(payload, '$.clientId') = ?`,
        )
        .run(clientId);
      return true;
    })();
  }
}
