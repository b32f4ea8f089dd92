/** World files for the world-file tests: the demo file, and one invalid file of each kind with its problems. */
import { readFileSync } from 'node:fs';

export const DEMO_FILE = JSON.parse(readFileSync('mock-server/world-file/demo-world.json', 'utf8')) as Record<
  string,
  unknown
>;

/** An identity provider given by its settings (its certificate is checked after the URL and the count). */
export const OTHER_IDP = { entityId: 'https://idp.globex.test/metadata', ssoUrl: 'https://idp.globex.test/sso' };

/** The demo file with one change, for the invalid-file table. */
// biome-ignore lint/suspicious/noExplicitAny: each case edits a different place of the untyped JSON document.
export function demoWith(change: (file: any) => void): unknown {
  const file = structuredClone(DEMO_FILE);
  change(file);
  return file;
}

export const INVALID_FILES: [string, unknown, string[]][] = [
  [
    'a bad email',
    demoWith((f) => (f.segment.users[2].email = 'ben-at-example')),
    ['segment.users[2].email: not an email'],
  ],
  ['a missing field', demoWith((f) => delete f.twilio.users[1].name), ['twilio.users[1].name: missing']],
  [
    'a wrong type',
    demoWith((f) => (f.twilio.users[0].eligible = 'yes')),
    ['twilio.users[0].eligible: expected true or false'],
  ],
  ['an unknown field', demoWith((f) => (f.twilio.users[0].admin = true)), ['twilio.users[0].admin: not allowed here']],
  [
    'an unknown role',
    demoWith((f) => (f.segment.workspaces[0].members[0].role = 'Boss')),
    ['segment.workspaces[0].members[0].role: expected one of "Owner", "Member", "Read-only"'],
  ],
  [
    'a bad TOTP secret',
    demoWith((f) => (f.twilio.users[4].totpSecret = 'not-base32')),
    ['twilio.users[4].totpSecret: not a base32 TOTP secret (16–64 of A–Z and 2–7)'],
  ],
  [
    'an over-long SCIM client secret',
    demoWith((f) => (f.organizations[0].scimApps[0].clientSecret = 's'.repeat(1025))),
    ['organizations[0].scimApps[0].clientSecret: the client secret is longer than 1024 characters'],
  ],
  ['another version', demoWith((f) => (f.version = 2)), ['version: expected 1 (the version of this format)']],
  [
    'a duplicate email',
    demoWith((f) => (f.twilio.users[2].email = 'ADA@example.com')),
    ['twilio.users[2].email: the email ada@example.com appears twice (also twilio.users[0].email)'],
  ],
  [
    'a member who is not a user',
    demoWith((f) => (f.segment.workspaces[1].members[1].email = 'nobody@benco.example')),
    ['segment.workspaces[1].members[1].email: no Segment user nobody@benco.example in this file'],
  ],
  [
    'a link to no Twilio user',
    demoWith((f) => (f.segment.users[0].linkedTo = 'ghost@example.com')),
    ['segment.users[0].linkedTo: no Twilio user ghost@example.com in this file'],
  ],
  [
    'a linked user with a password',
    demoWith((f) => (f.segment.users[0].password = 'x')),
    ['segment.users[0]: both password and linkedTo (a linked user has no password of its own)'],
  ],
  [
    'an unknown organization',
    demoWith((f) => (f.twilio.users[6].organization.id = 'OR_missing')),
    ['twilio.users[6].organization.id: no organization OR_missing in this file'],
  ],
  [
    'an organization member outside its verified domains',
    demoWith((f) => (f.organizations[0].domains[0].verified = false)),
    [6, 7, 8].map((i) => `twilio.users[${i}].organization: Acme has no verified domain acme.test for this email`),
  ],
  ['not an object', [1, 2], ['(the file): expected a JSON object']],
  [
    'an IdP certificate that is not PEM',
    demoWith((f) => (f.organizations[0].sso.identityProvider = { ...OTHER_IDP, certificates: ['not a certificate!'] })),
    ['organizations[0].sso.identityProvider.certificates[0]: the signing certificate is not a PEM certificate'],
  ],
  [
    'an IdP certificate that is base64 but no X.509 certificate',
    demoWith((f) => (f.organizations[0].sso.identityProvider = { ...OTHER_IDP, certificates: ['SGVsbG8gd29ybGQ='] })),
    ['organizations[0].sso.identityProvider.certificates[0]: the signing certificate is not a valid X.509 certificate'],
  ],
  [
    'an IdP without certificates or a usable SSO URL',
    demoWith(
      (f) => (f.organizations[0].sso.identityProvider = { ...OTHER_IDP, ssoUrl: 'ftp://idp.test/', certificates: [] }),
    ),
    [
      'organizations[0].sso.identityProvider.ssoUrl: not an http(s) URL',
      'organizations[0].sso.identityProvider.certificates: no certificate (the IdP needs at least one signing certificate)',
    ],
  ],
  [
    'an identity provider that is neither the bundled one nor settings',
    demoWith((f) => (f.organizations[0].sso.identityProvider = 'okta')),
    [
      'organizations[0].sso.identityProvider: expected "acme-idp" (the bundled Acme IdP) or an object with entityId, ssoUrl and certificates',
    ],
  ],
  [
    'enforced SSO without an identity provider',
    demoWith((f) => (f.organizations[0].sso = { enforced: true, allowIdpInitiated: true })),
    [
      'organizations[0].sso.enforced: SSO cannot be enforced without an identity provider',
      'organizations[0].sso.allowIdpInitiated: IdP-initiated sign-in needs an identity provider',
    ],
  ],
  [
    'the bundled Acme IdP for another organization',
    demoWith((f) =>
      f.organizations.push({ id: 'OR_globex', name: 'Globex', sso: { identityProvider: 'acme-idp', enforced: true } }),
    ),
    [
      'organizations[1].sso.identityProvider: the bundled Acme IdP trusts only the organization OR0000000000000000000000000000ac3e (give another organization entityId, ssoUrl and certificates)',
    ],
  ],
  [
    'a SCIM group member who is not a user of that organization',
    demoWith((f) => {
      f.organizations[0].scimGroups = [
        { displayName: 'Marketing', members: ['sue@acme.test', 'ada@example.com', 'tom@acme.test'] },
      ];
    }),
    [
      'organizations[0].scimGroups[0].members[1]: no Twilio user ada@example.com of Acme in this file',
      'organizations[0].scimGroups[0].members[2]: no Twilio user tom@acme.test of Acme in this file',
    ],
  ],
  [
    'a SCIM group named twice, and a member listed twice',
    demoWith((f) => {
      f.organizations[0].scimGroups = [
        { displayName: 'Marketing', externalId: 'okta-1', members: ['sue@acme.test'] },
        { displayName: 'Marketing', externalId: 'okta-1', members: ['sam@acme.test', 'SAM@acme.test'] },
      ];
    }),
    [
      'organizations[0].scimGroups[1].displayName: Marketing appears twice (also organizations[0].scimGroups[0].displayName)',
      'organizations[0].scimGroups[1].externalId: okta-1 appears twice (also organizations[0].scimGroups[0].externalId)',
      'organizations[0].scimGroups[1].members[1]: sam@acme.test is listed twice',
    ],
  ],
  [
    "a member's SCIM externalId longer than the SCIM API takes",
    demoWith((f) => (f.twilio.users[8].organization.externalId = 'x'.repeat(257))),
    ['twilio.users[8].organization.externalId: the external id is longer than 256 characters'],
  ],
  [
    "a member's SCIM externalId given twice in one organization",
    demoWith((f) => {
      f.twilio.users[6].organization.externalId = 'okta-1';
      f.twilio.users[8].organization.externalId = 'okta-1';
    }),
    [
      'twilio.users[8].organization.externalId: the external id okta-1 appears twice (also twilio.users[6].organization.externalId)',
    ],
  ],
  [
    "a SCIM app with a built-in OIDC client's id",
    demoWith((f) =>
      f.organizations[0].scimApps.push(
        { name: 'Clash', clientId: 'console' },
        { name: 'Clash too', clientId: 'switcher-extension' },
        { name: 'Clash three', clientId: 'support' },
      ),
    ),
    [
      'organizations[0].scimApps[1].clientId: console is taken by a built-in client of the Twilio login (Twilio Console); choose another client id',
      'organizations[0].scimApps[2].clientId: switcher-extension is taken by a built-in client of the Twilio login (the extension); choose another client id',
      "organizations[0].scimApps[3].clientId: support is taken by a built-in client of the Twilio login (support's page); choose another client id",
    ],
  ],
  [
    'the same invitation twice in a workspace',
    demoWith((f) => f.segment.workspaces[1].invitations.push({ email: 'NEW.HIRE@benco.example', role: 'Member' })),
    [
      'segment.workspaces[1].invitations[1].email: the invitation of new.hire@benco.example appears twice (also segment.workspaces[1].invitations[0].email)',
    ],
  ],
  [
    'a product user linked to a Twilio user of another email',
    demoWith((f) => f.segment.users.push({ email: 'cleo@example.com', name: 'Cleo', linkedTo: 'dan@example.com' })),
    [
      "segment.users[4].linkedTo: dan@example.com is not this user's email cleo@example.com (a linked user has its Twilio user's email)",
    ],
  ],
  [
    'a deactivated user outside any organization',
    demoWith((f) => (f.twilio.users[0].active = false)),
    ["twilio.users[0].active: only an organization's member can be deactivated (by the organization's SCIM app)"],
  ],
];
