/**
 * oidc-provider's storage adapter on SQLite: every model (Session, Interaction, AuthorizationCode, AccessToken,
 * RefreshToken, Grant, …) is one row of `oidc_models`, keyed by (model, id), with the lookup columns the provider
 * needs (grant id for revocation, uid for sessions, user code for the device flow) and its expiry.
 */
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import type { Db } from '../storage/database';

interface Row {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The adapter class for `new Provider(issuer, { adapter })`, bound to `db`. */
export function sqliteAdapter(db: Db): AdapterConstructor {
  const statements = {
    upsert: db.prepare(
      `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
    ),
    find: db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND id = ?'),
    findByUid: db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND uid = ?'),
    findByUserCode: db.prepare(
      'SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND user_code = ?',
    ),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    // Only what a grant issued (as oidc-provider's own adapters do): an Interaction also carries a grantId, and
    // revoking the extension's grant at a sign-out must not delete the sign-in that is switching accounts.
    revokeByGrantId: db.prepare(
      `DELETE FROM oidc_models WHERE grant_id = ? AND model IN
        ('AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest')`,
    ),
  };

  function read(row: Row | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= nowSeconds()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
  }

  return class SqliteAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      // Positional parameters: binding by name costs a lookup per parameter on the hottest write of the world.
      statements.upsert.run(
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        expiresIn ? nowSeconds() + expiresIn : null,
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return read(statements.find.get(this.model, id) as Row | undefined);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return read(statements.findByUid.get(this.model, uid) as Row | undefined);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return read(statements.findByUserCode.get(this.model, userCode) as Row | undefined);
    }

    async consume(id: string): Promise<void> {
      statements.consume.run(nowSeconds(), this.model, id);
    }

    async destroy(id: string): Promise<void> {
      statements.destroy.run(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      statements.revokeByGrantId.run(grantId);
    }
  };
}
