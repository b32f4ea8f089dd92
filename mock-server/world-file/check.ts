/**
 * Reading a world file: JSON syntax, the schema, then the references between its parts. Every problem is named by
 * its path in the file (`segment.users[2].email: not an email`), so a tester can fix them all in one go.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { EXTENSION_CLIENT_ID, PRODUCTS } from '../../contract/catalogue';
import { ACME_ORGANIZATION_ID } from '../acme-idp/acme';
import { SUPPORT_CLIENT_ID } from '../identity/clients';
import { emailDomain } from '../organizations/organizations';
import { BUNDLED_IDP, type WorldFile, WorldFileSchema } from './schema';

export type WorldFileCheck = { ok: true; world: WorldFile } | { ok: false; problems: string[] };

type Path = readonly (string | number)[];

function pathText(path: Path): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key),
    '',
  );
}

function schemaProblems(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.flatMap((issue) => {
    // A union (the identity provider: "acme-idp" or settings) given an object: what is wrong inside the object.
    if (issue.type === 'union' && isObject(issue.input) && issue.issues) {
      // Its options' issues have paths from the union on.
      const prefix = issue.path ?? [];
      return schemaProblems(
        issue.issues
          .filter((inner) => inner.type !== 'literal')
          .map((inner) => ({ ...inner, path: [...prefix, ...(inner.path ?? [])] }) as v.BaseIssue<unknown>),
      );
    }
    const path = (issue.path ?? []).map((item) => item.key as string | number);
    const where = pathText(path) || '(the file)';
    // A key the schema does not know, and a required key that is absent.
    if (issue.type === 'strict_object' && issue.input !== undefined && path.length > 0) {
      return `${where}: not allowed here`;
    }
    if (issue.input === undefined && issue.kind === 'schema') return `${where}: missing`;
    return `${where}: ${issue.message}`;
  });
}

/** The Twilio login's own OIDC clients: a SCIM app with one of their ids could never get a token. */
const BUILT_IN_CLIENTS = new Map<string, string>([
  ...Object.values(PRODUCTS).map((product) => [product.clientId, product.name] as const),
  [EXTENSION_CLIENT_ID, 'the extension'],
  [SUPPORT_CLIENT_ID, "support's page"],
]);

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Problems in what the file's parts say about each other (unique keys, references). */
function referenceProblems(world: WorldFile): string[] {
  const problems: string[] = [];
  const LABEL = { segment: 'Segment', sendgrid: 'SendGrid' } as const;
  const unique = <T>(items: readonly T[], key: (item: T) => string, path: (index: number) => string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const value = key(item);
      const first = seen.get(value);
      if (first === undefined) seen.set(value, index);
      else problems.push(`${path(index)}: ${what} ${value} appears twice (also ${path(first)})`);
    });
  };

  const organizations = new Map(world.organizations.map((org) => [org.id, org]));
  unique(
    world.organizations,
    (o) => o.id,
    (i) => `organizations[${i}].id`,
    'the id',
  );
  const domains = world.organizations.flatMap((org, i) => org.domains.map((d, j) => ({ ...d, i, j })));
  unique(
    domains,
    (d) => d.domain,
    (k) => `organizations[${domains[k]!.i}].domains[${domains[k]!.j}].domain`,
    'the domain',
  );
  const apps = world.organizations.flatMap((org, i) => org.scimApps.map((a, j) => ({ ...a, i, j })));
  unique(
    apps,
    (a) => a.clientId,
    (k) => `organizations[${apps[k]!.i}].scimApps[${apps[k]!.j}].clientId`,
    'the client id',
  );
  apps.forEach((app) => {
    const owner = BUILT_IN_CLIENTS.get(app.clientId);
    if (owner) {
      problems.push(
        `organizations[${app.i}].scimApps[${app.j}].clientId: ${app.clientId} is taken by a built-in client of the Twilio login (${owner}); choose another client id`,
      );
    }
  });

  const twilioEmails = new Set(world.twilio.users.map((user) => user.email));
  unique(
    world.twilio.users,
    (u) => u.email,
    (i) => `twilio.users[${i}].email`,
    'the email',
  );
  problems.push(...world.organizations.flatMap((org, i) => organizationProblems(world, org, i)));
  // A SCIM client's own id for a user is unique in its organization (as the SCIM API keeps it).
  for (const org of world.organizations) {
    const provisioned = world.twilio.users.flatMap((user, i) =>
      user.organization?.id === org.id && user.organization.externalId !== undefined
        ? [{ externalId: user.organization.externalId, i }]
        : [],
    );
    unique(
      provisioned,
      (p) => p.externalId,
      (k) => `twilio.users[${provisioned[k]!.i}].organization.externalId`,
      'the external id',
    );
  }
  world.twilio.users.forEach((user, i) => {
    if (user.active === false && !user.organization) {
      problems.push(
        `twilio.users[${i}].active: only an organization's member can be deactivated (by the organization's SCIM app)`,
      );
    }
    if (!user.organization) return;
    const org = organizations.get(user.organization.id);
    if (!org) {
      problems.push(`twilio.users[${i}].organization.id: no organization ${user.organization.id} in this file`);
    } else if (!org.domains.some((d) => d.verified && d.domain === emailDomain(user.email))) {
      problems.push(
        `twilio.users[${i}].organization: ${org.name} has no verified domain ${emailDomain(user.email)} for this email`,
      );
    }
  });

  for (const [product, users] of [
    ['segment', world.segment.users],
    ['sendgrid', world.sendgrid.users],
  ] as const) {
    unique(
      users,
      (u) => u.email,
      (i) => `${product}.users[${i}].email`,
      'the email',
    );
    const linked = users.flatMap((u, i) => (u.linkedTo ? [{ to: u.linkedTo, i }] : []));
    unique(
      linked,
      (l) => l.to,
      (k) => `${product}.users[${linked[k]!.i}].linkedTo`,
      'the Twilio user',
    );
    users.forEach((user, i) => {
      if (user.password !== undefined && user.linkedTo !== undefined) {
        problems.push(`${product}.users[${i}]: both password and linkedTo (a linked user has no password of its own)`);
      }
      if (user.linkedTo !== undefined && !twilioEmails.has(user.linkedTo)) {
        problems.push(`${product}.users[${i}].linkedTo: no Twilio user ${user.linkedTo} in this file`);
      } else if (user.linkedTo !== undefined && user.linkedTo !== user.email) {
        // Linking takes the product user with the Twilio user's email, and an email change moves both.
        problems.push(
          `${product}.users[${i}].linkedTo: ${user.linkedTo} is not this user's email ${user.email} (a linked user has its Twilio user's email)`,
        );
      }
    });
  }

  const members = (product: 'segment' | 'sendgrid', homes: readonly { id: string }[], list: string, label: string) => {
    const emails = new Set(world[product].users.map((user) => user.email));
    unique(
      homes,
      (h) => h.id,
      (i) => `${product}.${label}[${i}].id`,
      'the id',
    );
    homes.forEach((home, i) => {
      const people = (home as unknown as Record<string, { email: string }[]>)[list]!;
      unique(
        people,
        (m) => m.email,
        (j) => `${product}.${label}[${i}].${list}[${j}].email`,
        'the member',
      );
      people.forEach((member, j) => {
        if (!emails.has(member.email)) {
          problems.push(
            `${product}.${label}[${i}].${list}[${j}].email: no ${LABEL[product]} user ${member.email} in this file`,
          );
        }
      });
    });
  };
  members('segment', world.segment.workspaces, 'members', 'workspaces');
  members('sendgrid', world.sendgrid.accounts, 'teammates', 'accounts');
  const segmentEmails = new Set(world.segment.users.map((user) => user.email));
  world.segment.workspaces.forEach((workspace, i) => {
    unique(
      workspace.invitations,
      (invitation) => invitation.email,
      (j) => `segment.workspaces[${i}].invitations[${j}].email`,
      'the invitation of',
    );
    workspace.invitations.forEach((invitation, j) => {
      if (invitation.invitedBy !== undefined && !segmentEmails.has(invitation.invitedBy)) {
        problems.push(
          `segment.workspaces[${i}].invitations[${j}].invitedBy: no Segment user ${invitation.invitedBy} in this file`,
        );
      }
    });
  });
  return problems;
}

/** An organization's SSO settings and SCIM groups against the rest of the file. */
function organizationProblems(world: WorldFile, org: WorldFile['organizations'][number], i: number): string[] {
  const problems: string[] = [];
  const at = `organizations[${i}]`;
  const { sso } = org;
  if (sso && !sso.identityProvider) {
    if (sso.enforced) problems.push(`${at}.sso.enforced: SSO cannot be enforced without an identity provider`);
    if (sso.allowIdpInitiated) {
      problems.push(`${at}.sso.allowIdpInitiated: IdP-initiated sign-in needs an identity provider`);
    }
  }
  if (sso?.identityProvider === BUNDLED_IDP && org.id !== ACME_ORGANIZATION_ID) {
    problems.push(
      `${at}.sso.identityProvider: the bundled Acme IdP trusts only the organization ${ACME_ORGANIZATION_ID} (give another organization entityId, ssoUrl and certificates)`,
    );
  }
  const members = new Set(world.twilio.users.filter((u) => u.organization?.id === org.id).map((u) => u.email));
  const seen = { names: new Map<string, number>(), externalIds: new Map<string, number>() };
  org.scimGroups.forEach((group, j) => {
    const where = `${at}.scimGroups[${j}]`;
    const twice = (map: Map<string, number>, key: string | undefined, field: string) => {
      if (key === undefined) return;
      const first = map.get(key);
      if (first === undefined) map.set(key, j);
      else problems.push(`${where}.${field}: ${key} appears twice (also ${at}.scimGroups[${first}].${field})`);
    };
    twice(seen.names, group.displayName, 'displayName');
    twice(seen.externalIds, group.externalId, 'externalId');
    const listed = new Set<string>();
    group.members.forEach((email, k) => {
      if (listed.has(email)) problems.push(`${where}.members[${k}]: ${email} is listed twice`);
      else if (!members.has(email)) {
        problems.push(`${where}.members[${k}]: no Twilio user ${email} of ${org.name} in this file`);
      }
      listed.add(email);
    });
  });
  return problems;
}

/** Checks parsed JSON against the schema and its references. */
export function checkWorldFile(json: unknown): WorldFileCheck {
  if (!isObject(json)) {
    return { ok: false, problems: ['(the file): expected a JSON object'] };
  }
  const parsed = v.safeParse(WorldFileSchema, json, { abortEarly: false });
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.issues) };
  const problems = referenceProblems(parsed.output);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, world: parsed.output };
}

/** Reads and checks the world file at `path`; unreadable files and bad JSON are problems too. */
export function readWorldFile(path: string): WorldFileCheck {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      problems: [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`],
    };
  }
  try {
    return checkWorldFile(JSON.parse(text));
  } catch (error) {
    return { ok: false, problems: [`not JSON (${(error as Error).message})`] };
  }
}
