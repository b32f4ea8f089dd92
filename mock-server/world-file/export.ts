/**
 * `--export-world FILE`: the current world as a world file, so a tester can save a state and share it. Passwords
 * and secrets are never exported (only their hashes exist, and those stay in the database): add `defaultPassword`
 * or per-user passwords to the file to sign in with passwords again. Sessions, grants, mail, audit trails and
 * access requests are not part of a world.
 */
import type { Db } from '../storage/database';
import { WORLD_FILE_VERSION, type WorldFileInput } from './schema';

interface TwilioRow {
  id: string;
  email: string;
  name: string;
  eligible: number;
  totp_secret: string | null;
  role: string | null;
  organization_id: string | null;
  organization_role: string | null;
}

interface ProductUserRow {
  id: string;
  email: string;
  name: string;
  linked_to: string | null;
}

export function exportWorld(db: Db): WorldFileInput {
  const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];

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
    }),
  );

  const twilioUsers = all<TwilioRow>(
    `SELECT id, email, name, eligible, totp_secret, role, organization_id, organization_role FROM users
     WHERE deleted_at IS NULL ORDER BY rowid`,
  ).map((row) => ({
    email: row.email,
    name: row.name,
    eligible: row.eligible === 1,
    ...(row.totp_secret ? { totpSecret: row.totp_secret } : {}),
    ...(row.role && row.role !== 'member' ? { role: row.role as 'support_operator' } : {}),
    ...(row.organization_id
      ? { organization: { id: row.organization_id, role: (row.organization_role ?? 'member') as 'member' | 'admin' } }
      : {}),
  }));

  const productUsers = (table: 'segment_users' | 'sendgrid_users') =>
    all<ProductUserRow>(
      `SELECT p.id, p.email, p.name, u.email AS linked_to FROM ${table} p LEFT JOIN users u ON u.id = p.twilio_sub
       ORDER BY p.rowid`,
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
