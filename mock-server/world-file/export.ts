/**
 * `--export-world FILE`: the current world as a world file, so a tester can save a state and share it. Passwords
 * and secrets are never exported (only their hashes exist, and those stay in the database): add `defaultPassword`
 * or per-user passwords to the file to sign in with passwords again. Sessions, grants, mail, audit trails and
 * access requests are not part of a world.
 */
import type { Db } from '../storage/database';
import { BUNDLED_IDP, WORLD_FILE_VERSION, type WorldFileInput } from './schema';

/** The bundled Acme IdP as this world runs it: a connection to it is exported as `"acme-idp"`, not its settings. */
export interface BundledIdp {
  entityId: string;
  certificatePem: string;
}

interface SsoRow {
  idp_entity_id: string;
  sso_url: string;
  certificates: string;
  enforced: number;
  allow_idp_initiated: number;
}

interface TwilioRow {
  id: string;
  email: string;
  name: string;
  eligible: number;
  totp_secret: string | null;
  role: string | null;
  active: number;
  organization_id: string | null;
  organization_role: string | null;
  external_id: string | null;
  given_name: string | null;
  family_name: string | null;
}

interface ProductUserRow {
  id: string;
  email: string;
  name: string;
  linked_to: string | null;
}

export function exportWorld(db: Db, bundledIdp?: BundledIdp): WorldFileInput {
  const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];

  const ssoOf = (organizationId: string) => {
    const row = db.prepare('SELECT * FROM sso_connections WHERE organization_id = ?').get(organizationId) as
      | SsoRow
      | undefined;
    if (!row) return {};
    const certificates = JSON.parse(row.certificates) as string[];
    const bundled =
      bundledIdp?.entityId === row.idp_entity_id &&
      certificates.length === 1 &&
      certificates[0] === bundledIdp.certificatePem;
    return {
      sso: {
        identityProvider: bundled ? BUNDLED_IDP : { entityId: row.idp_entity_id, ssoUrl: row.sso_url, certificates },
        enforced: row.enforced === 1,
        allowIdpInitiated: row.allow_idp_initiated === 1,
      },
    };
  };
  const scimGroupsOf = (organizationId: string) =>
    all<{ id: string; display_name: string; external_id: string | null }>(
      'SELECT id, display_name, external_id FROM scim_groups WHERE organization_id = ? ORDER BY rowid',
      organizationId,
    ).map((group) => ({
      displayName: group.display_name,
      ...(group.external_id ? { externalId: group.external_id } : {}),
      members: all<{ email: string }>(
        `SELECT u.email FROM scim_group_members m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = ? AND u.deleted_at IS NULL ORDER BY u.email`,
        group.id,
      ).map((member) => member.email),
    }));

  const organizations = all<{ id: string; name: string }>('SELECT id, name FROM organizations ORDER BY rowid').map(
    (org) => ({
      id: org.id,
      name: org.name,
      domains: all<{ domain: string; verified: number }>(
        'SELECT domain, verified FROM organization_domains WHERE organization_id = ? ORDER BY rowid',
        org.id,
      ).map((d) => ({ domain: d.domain, verified: d.verified === 1 })),
      scimApps: all<{ client_id: string; name: string }>(
        'SELECT client_id, name FROM scim_apps WHERE organization_id = ? ORDER BY rowid',
        org.id,
      ).map((app) => ({ name: app.name, clientId: app.client_id })),
      scimGroups: scimGroupsOf(org.id),
      ...ssoOf(org.id),
    }),
  );

  const twilioUsers = all<TwilioRow>(
    `SELECT id, email, name, eligible, totp_secret, role, active, organization_id, organization_role, external_id,
       given_name, family_name FROM users WHERE deleted_at IS NULL ORDER BY rowid`,
  ).map((row) => ({
    email: row.email,
    name: row.name,
    eligible: row.eligible === 1,
    ...(row.totp_secret ? { totpSecret: row.totp_secret } : {}),
    ...(row.role && row.role !== 'member' ? { role: row.role as 'support_operator' } : {}),
    ...(row.active === 0 ? { active: false } : {}),
    ...(row.organization_id
      ? {
          organization: {
            id: row.organization_id,
            role: (row.organization_role ?? 'member') as 'member' | 'admin',
            ...(row.external_id ? { externalId: row.external_id } : {}),
            ...(row.given_name ? { givenName: row.given_name } : {}),
            ...(row.family_name ? { familyName: row.family_name } : {}),
          },
        }
      : {}),
  }));

  // A product user linked to a Twilio user SCIM deleted keeps its link in the database (creating the user again
  // brings it back), but the deleted user is not part of a world: exported, it is an unlinked user without a
  // password, which no one can sign in as — as now.
  const productUsers = (table: 'segment_users' | 'sendgrid_users') =>
    all<ProductUserRow>(
      `SELECT p.id, p.email, p.name, u.email AS linked_to FROM ${table} p
       LEFT JOIN users u ON u.id = p.twilio_sub AND u.deleted_at IS NULL ORDER BY p.rowid`,
    );
  const segmentUsers = productUsers('segment_users');
  const segmentEmail = new Map(segmentUsers.map((user) => [user.id, user.email]));
  const sendgridUsers = productUsers('sendgrid_users');
  const sendgridEmail = new Map(sendgridUsers.map((user) => [user.id, user.email]));
  const asFileUser = (user: ProductUserRow) => ({
    email: user.email,
    name: user.name,
    ...(user.linked_to ? { linkedTo: user.linked_to } : {}),
  });

  return {
    version: WORLD_FILE_VERSION,
    description: `Exported from the mock world on ${new Date().toISOString()} (no passwords or secrets).`,
    organizations,
    twilio: { users: twilioUsers },
    segment: {
      users: segmentUsers.map(asFileUser),
      workspaces: all<{ id: string; name: string }>('SELECT id, name FROM segment_workspaces ORDER BY rowid').map(
        (ws) => ({
          id: ws.id,
          name: ws.name,
          members: all<{ user_id: string; role: 'Owner' | 'Member' | 'Read-only' }>(
            'SELECT user_id, role FROM segment_memberships WHERE workspace_id = ? ORDER BY rowid',
            ws.id,
          ).map((m) => ({ email: segmentEmail.get(m.user_id)!, role: m.role })),
          invitations: all<{ email: string; role: 'Owner' | 'Member' | 'Read-only'; invited_by: string | null }>(
            'SELECT email, role, invited_by FROM segment_invitations WHERE workspace_id = ? ORDER BY rowid',
            ws.id,
          ).map((inv) => ({
            email: inv.email,
            role: inv.role,
            ...(inv.invited_by && segmentEmail.has(inv.invited_by)
              ? { invitedBy: segmentEmail.get(inv.invited_by)! }
              : {}),
          })),
        }),
      ),
    },
    sendgrid: {
      users: sendgridUsers.map(asFileUser),
      accounts: all<{ id: string; name: string }>('SELECT id, name FROM sendgrid_accounts ORDER BY rowid').map(
        (account) => ({
          id: account.id,
          name: account.name,
          teammates: all<{ user_id: string; role: 'Admin' | 'Developer' | 'Read-only' }>(
            'SELECT user_id, role FROM sendgrid_teammates WHERE account_id = ? ORDER BY rowid',
            account.id,
          ).map((t) => ({ email: sendgridEmail.get(t.user_id)!, role: t.role })),
        }),
      ),
    },
  };
}
