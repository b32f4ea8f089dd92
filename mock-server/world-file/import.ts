/**
 * Seeds a new world from a checked world file: every password hashed first (argon2id), then everything written in
 * one transaction, so a world is either all there or not at all.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../accounts/passwords';
import type { UserStore } from '../accounts/users';
import type { OrganizationStore } from '../organizations/organizations';
import type { ScimApps } from '../scim/scim-apps';
import type { SegmentStore } from '../segment/store';
import type { SendGridStore } from '../sendgrid/store';
import type { SsoConnections } from '../sso/connections';
import type { Db } from '../storage/database';
import { addScimGroup, deactivateUser, setScimAttributes } from './organization-rows';
import { BUNDLED_IDP, type WorldFile } from './schema';

export interface WorldStores {
  users: UserStore;
  segment: SegmentStore;
  sendgrid: SendGridStore;
  organizations: OrganizationStore;
  scimApps: ScimApps;
  ssoConnections: SsoConnections;
}

/** An organization the file connects to the bundled Acme IdP: connected once that IdP has its key. */
export interface BundledIdpConnection {
  organizationId: string;
  enforced: boolean;
  allowIdpInitiated: boolean;
}

export interface ImportedWorld {
  /** SCIM credentials generated for apps the file gave no secret (shown once, at start-up). */
  generatedScimCredentials: { clientId: string; clientSecret: string }[];
  bundledIdpConnections: BundledIdpConnection[];
}

/** Hashes each distinct clear password once; `undefined` (no password) stays unusable. */
async function hasher(passwords: readonly (string | undefined)[]): Promise<(password: string | undefined) => string> {
  const distinct = [...new Set(passwords.filter((p): p is string => p !== undefined))];
  const hashes = new Map(await Promise.all(distinct.map(async (p) => [p, await hashPassword(p)] as const)));
  return (password) => (password === undefined ? UNUSABLE_PASSWORD_HASH : hashes.get(password)!);
}

/** Where a seeded world came from: the built-in demo world, or a world file (`--world`). */
export type WorldSource = 'demo' | 'file';

/** The world the database was seeded from, if it was (`importWorld` records it with the world). */
export function seededFrom(db: Db): WorldSource | undefined {
  const row = db.prepare('SELECT source FROM world_seed WHERE id = 1').get() as { source: WorldSource } | undefined;
  return row?.source;
}

/** Writes `world` into an empty database, and records in the same transaction that it was seeded from `source`. */
export async function importWorld(
  db: Db,
  stores: WorldStores,
  world: WorldFile,
  source: WorldSource,
): Promise<ImportedWorld> {
  const twilioPassword = (user: WorldFile['twilio']['users'][number]) =>
    user.password ?? (user.organization ? undefined : world.defaultPassword);
  const productPassword = (user: WorldFile['segment']['users'][number]) =>
    user.linkedTo ? undefined : (user.password ?? world.defaultPassword);
  const hash = await hasher([
    ...world.twilio.users.map(twilioPassword),
    ...world.segment.users.map(productPassword),
    ...world.sendgrid.users.map(productPassword),
  ]);
  const generated: { clientId: string; clientSecret: string }[] = [];
  const bundledIdpConnections: BundledIdpConnection[] = [];

  db.transaction(() => {
    db.prepare('INSERT INTO world_seed (id, source, seeded_at) VALUES (1, ?, ?)').run(source, Date.now());
    for (const org of world.organizations) {
      stores.organizations.create({ id: org.id, name: org.name });
      for (const { domain, verified } of org.domains) stores.organizations.addDomain(org.id, domain, { verified });
      for (const app of org.scimApps) {
        // An exported file has no secret: the app keeps its id and gets a new secret, shown once at start-up.
        const clientSecret = app.clientSecret ?? randomBytes(32).toString('base64url');
        const credentials = stores.scimApps.create(org.id, {
          name: app.name,
          credentials: { clientId: app.clientId, clientSecret },
        });
        if (!app.clientSecret) generated.push(credentials);
      }
      const { sso } = org;
      if (sso?.identityProvider === BUNDLED_IDP) {
        bundledIdpConnections.push({ organizationId: org.id, ...pick(sso) });
      } else if (sso?.identityProvider) {
        stores.ssoConnections.connect(org.id, sso.identityProvider);
        stores.ssoConnections.configure(org.id, pick(sso));
      }
    }
    const twilioIds = new Map<string, string>();
    for (const person of world.twilio.users) {
      const user = stores.users.create({
        email: person.email,
        name: person.name,
        eligible: person.eligible,
        passwordHash: hash(twilioPassword(person)),
        ...(person.role ? { role: person.role } : {}),
        ...(person.totpSecret ? { totpSecret: person.totpSecret } : {}),
      });
      twilioIds.set(person.email, user.id);
      if (person.organization) {
        stores.organizations.addMember(person.organization.id, user.id, person.organization.role);
        setScimAttributes(db, user.id, person.organization);
      }
      if (person.active === false) deactivateUser(db, user.id);
    }
    for (const org of world.organizations) {
      for (const group of org.scimGroups) {
        addScimGroup(db, org.id, { ...group, memberIds: group.members.map((email) => twilioIds.get(email)!) });
      }
    }

    const productUsers = (store: SegmentStore | SendGridStore, users: WorldFile['segment']['users']) =>
      new Map(
        users.map((person) => {
          const created = store.users.create({
            email: person.email,
            name: person.name,
            ...(person.linkedTo
              ? { twilioSub: twilioIds.get(person.linkedTo)! }
              : { passwordHash: hash(productPassword(person)) }),
          });
          return [person.email, created.id] as const;
        }),
      );

    const segmentIds = productUsers(stores.segment, world.segment.users);
    for (const workspace of world.segment.workspaces) {
      stores.segment.createWorkspace(workspace.name, { id: workspace.id });
      for (const member of workspace.members) {
        stores.segment.addMember(workspace.id, segmentIds.get(member.email)!, member.role);
      }
      for (const invitation of workspace.invitations) {
        const by = invitation.invitedBy ? segmentIds.get(invitation.invitedBy) : undefined;
        stores.segment.invite(workspace.id, invitation.email, invitation.role, by);
      }
    }
    const sendgridIds = productUsers(stores.sendgrid, world.sendgrid.users);
    for (const account of world.sendgrid.accounts) {
      stores.sendgrid.createAccount(account.name, { id: account.id });
      for (const teammate of account.teammates) {
        stores.sendgrid.addTeammate(account.id, sendgridIds.get(teammate.email)!, teammate.role);
      }
    }
  })();
  return { generatedScimCredentials: generated, bundledIdpConnections };
}

const pick = (sso: { enforced: boolean; allowIdpInitiated: boolean }) => ({
  enforced: sso.enforced,
  allowIdpInitiated: sso.allowIdpInitiated,
});
