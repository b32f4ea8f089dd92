/**
 * The world file (`--world FILE`): a whole test world — Twilio users, organizations, Segment and SendGrid users with
 * their workspaces, accounts and links — in one JSON document. Passwords are given in clear (test worlds only) and
 * hashed on import. `docs/world.schema.json` is generated from this schema (`npm run world-schema`).
 */
import * as v from 'valibot';
import { emailCharacterProblem, isEmailAddress, MAX_EMAIL_LENGTH, normaliseEmail } from '../../contract/email';
import { WorldError } from '../errors';
import { MAX_EXTERNAL_ID_LENGTH, MAX_NAME_LENGTH } from '../scim/scim-schemas';
import { SEGMENT_ROLES } from '../segment/store';
import { SENDGRID_ROLES } from '../sendgrid/store';
import {
  checkedCertificate,
  MAX_CERTIFICATE_LENGTH,
  MAX_IDP_CERTIFICATES,
  MAX_IDP_FIELD_LENGTH,
} from '../sso/idp-metadata';
import { MAX_CLIENT_SECRET_LENGTH } from '../storage/client-secrets';

export const WORLD_FILE_VERSION = 1;

const oneOf = (values: readonly string[]) => `expected one of ${values.map((value) => `"${value}"`).join(', ')}`;

const text = (what: string, max = 200) =>
  v.pipe(
    v.string('expected a string'),
    v.trim(),
    v.nonEmpty(`${what} is empty`),
    v.maxLength(max, `${what} is longer than ${max} characters`),
  );

// The world's own email rules (the contract's), so a file accepts exactly the emails the world stores.
const Email = v.pipe(
  v.string('expected a string'),
  v.transform(normaliseEmail),
  v.maxLength(MAX_EMAIL_LENGTH, `not an email (longer than ${MAX_EMAIL_LENGTH} characters)`),
  v.check(isEmailAddress, 'not an email'),
  // No control or invisible characters, fullwidth letters or mixed alphabets: the login refuses such an address, so
  // its user could never sign in, and it can pass for another user's (a Cyrillic "а" in "ada@example.com").
  v.check(
    (email) => emailCharacterProblem(email) === undefined,
    (issue) => `not an email the world accepts: ${emailCharacterProblem(issue.input as string)}`,
  ),
);

const Password = v.pipe(
  v.string('expected a string'),
  v.nonEmpty('the password is empty'),
  v.maxLength(1024, 'the password is longer than 1024 characters'),
  v.description('In clear: test worlds only. Hashed (argon2id) on import; never exported.'),
);

const Id = (what: string) =>
  v.pipe(
    v.string('expected a string'),
    v.regex(/^[A-Za-z0-9_-]{1,64}$/, `not a valid ${what} id (letters, digits, _ and -, at most 64)`),
  );

/** A SCIM externalId as the SCIM API takes it, so whatever a SCIM client set exports and imports again. */
const ExternalId = text('the external id', MAX_EXTERNAL_ID_LENGTH);

const TwilioUser = v.pipe(
  v.strictObject({
    email: v.pipe(Email, v.description('Sign-in email; unique among Twilio users.')),
    name: v.pipe(text('the name'), v.description('Display name.')),
    password: v.optional(
      v.pipe(
        Password,
        v.description('Twilio password in clear. Absent: no password sign-in (SSO-only for organization members).'),
      ),
    ),
    eligible: v.pipe(
      v.boolean('expected true or false'),
      v.description('Selected for the limited release of unified login (may set up Segment and SendGrid).'),
    ),
    totpSecret: v.optional(
      v.pipe(
        v.string('expected a string'),
        v.regex(/^[A-Z2-7]{16,64}$/, 'not a base32 TOTP secret (16–64 of A–Z and 2–7)'),
        v.description('Base32 TOTP secret: 2FA is on and the login asks for a code.'),
      ),
    ),
    role: v.optional(
      v.pipe(
        v.picklist(['member', 'support_operator'], oneOf(['member', 'support_operator'])),
        v.description('"support_operator" may decide access requests on the login host. Default "member".'),
      ),
    ),
    active: v.optional(
      v.pipe(
        v.boolean('expected true or false'),
        v.description(
          'false: deactivated by its organization (SCIM active false): signs in nowhere until reactivated. Default true.',
        ),
      ),
    ),
    organization: v.optional(
      v.pipe(
        v.strictObject({
          id: v.pipe(Id('organization'), v.description('An organization of this file.')),
          role: v.pipe(v.picklist(['member', 'admin'], oneOf(['member', 'admin'])), v.description('Role there.')),
          externalId: v.optional(
            v.pipe(
              ExternalId,
              v.description(
                "The provisioning client's own id for the user (SCIM externalId); unique in the organization.",
              ),
            ),
          ),
          givenName: v.optional(
            v.pipe(text('the given name', MAX_NAME_LENGTH), v.description('SCIM name.givenName, as provisioned.')),
          ),
          familyName: v.optional(
            v.pipe(text('the family name', MAX_NAME_LENGTH), v.description('SCIM name.familyName, as provisioned.')),
          ),
        }),
        v.description('The organization managing this user (its verified domain covers the email).'),
      ),
    ),
  }),
  v.description('A Twilio user: signs in at the Twilio login.'),
);

/** The identity provider that needs no settings: the world's own Acme IdP. */
export const BUNDLED_IDP = 'acme-idp' as const;

/** A signing certificate as the Console takes it: PEM, or its bare base64 body; stored as PEM (at most 16 kB). */
const Certificate = v.pipe(
  v.string('expected a string'),
  v.maxLength(MAX_CERTIFICATE_LENGTH, 'the signing certificate is longer than 16 kB'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return checkedCertificate(dataset.value);
    } catch (error) {
      if (!(error instanceof WorldError)) throw error;
      // "The signing certificate is not …." as a problem line: "the signing certificate is not …".
      addIssue({ message: error.description.replace(/^T/, 't').replace(/\.$/, '') });
      return NEVER;
    }
  }),
  v.description("PEM X.509 certificate (RSA or EC key) whose key signs the IdP's responses."),
);

const IdentityProvider = v.pipe(
  v.strictObject({
    entityId: v.pipe(text('the entity ID', MAX_IDP_FIELD_LENGTH), v.description("The IdP's SAML entity ID.")),
    ssoUrl: v.pipe(
      v.string('expected a string'),
      v.trim(),
      v.maxLength(MAX_IDP_FIELD_LENGTH, `the SSO URL is longer than ${MAX_IDP_FIELD_LENGTH} characters`),
      v.check((url) => /^https?:\/\//i.test(url) && URL.canParse(url), 'not an http(s) URL'),
      v.description("The IdP's SingleSignOnService URL (HTTP-Redirect binding)."),
    ),
    certificates: v.pipe(
      v.array(Certificate, 'expected a list'),
      v.minLength(1, 'no certificate (the IdP needs at least one signing certificate)'),
      // As many as the Console takes from an IdP's metadata: whatever a world holds exports and imports again.
      v.maxLength(MAX_IDP_CERTIFICATES, `more than ${MAX_IDP_CERTIFICATES} certificates`),
      v.description('Signing certificates (several while the IdP rolls its key).'),
    ),
  }),
  v.description('An identity provider given by its settings, as an admin enters them in the Console.'),
);

const Organization = v.pipe(
  v.strictObject({
    id: v.pipe(Id('organization'), v.description('Fixed id, referenced by `twilio.users[].organization.id`.')),
    name: v.pipe(text('the name'), v.description('Display name.')),
    domains: v.optional(
      v.array(
        v.strictObject({
          domain: v.pipe(
            v.string('expected a string'),
            v.trim(),
            v.toLowerCase(),
            v.regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'not a domain name'),
            v.description('A domain the organization claims; users with emails there are managed by it.'),
          ),
          verified: v.pipe(v.boolean('expected true or false'), v.description('Whether the claim is verified.')),
        }),
        'expected a list',
      ),
      [],
    ),
    scimApps: v.optional(
      v.array(
        v.strictObject({
          name: v.pipe(text('the name', 80), v.description('Display name of the provisioning client.')),
          clientId: v.pipe(
            v.string('expected a string'),
            v.regex(/^[A-Za-z0-9_-]{4,64}$/, 'not a valid client id (4–64 of letters, digits, _ and -)'),
            v.description('OAuth client id of the SCIM client (client-credentials grant).'),
          ),
          clientSecret: v.optional(
            v.pipe(
              v.string('expected a string'),
              v.minLength(16, 'the client secret is shorter than 16 characters'),
              v.maxLength(
                MAX_CLIENT_SECRET_LENGTH,
                `the client secret is longer than ${MAX_CLIENT_SECRET_LENGTH} characters`,
              ),
              v.description('Client secret in clear. Absent: a random one (printed at start-up); never exported.'),
            ),
          ),
        }),
        'expected a list',
      ),
      [],
    ),
    scimGroups: v.optional(
      v.array(
        v.pipe(
          v.strictObject({
            displayName: v.pipe(text('the display name'), v.description('Unique in the organization.')),
            externalId: v.optional(
              v.pipe(ExternalId, v.description("The provisioning client's own id for the group.")),
            ),
            members: v.optional(
              v.array(
                v.pipe(Email, v.description('Email of a Twilio user of this file managed by this organization.')),
                'expected a list',
              ),
              [],
            ),
          }),
          v.description('A SCIM group (RFC 7643 §4.2) of the organization, with its members.'),
        ),
        'expected a list',
      ),
      [],
    ),
    sso: v.optional(
      v.pipe(
        v.strictObject({
          identityProvider: v.optional(
            v.union(
              [
                v.pipe(
                  v.literal(BUNDLED_IDP),
                  v.description(
                    `"${BUNDLED_IDP}": the bundled Acme IdP at sso.acme.localhost (its entity ID, SSO URL and certificate follow the world's port and key).`,
                  ),
                ),
                IdentityProvider,
              ],
              `expected "${BUNDLED_IDP}" (the bundled Acme IdP) or an object with entityId, ssoUrl and certificates`,
            ),
          ),
          enforced: v.optional(
            v.pipe(
              v.boolean('expected true or false'),
              v.description('Members sign in only by SSO (needs an identity provider). Default false.'),
            ),
            false,
          ),
          allowIdpInitiated: v.optional(
            v.pipe(
              v.boolean('expected true or false'),
              v.description('Accept sign-ins the IdP starts on its own (needs an identity provider). Default false.'),
            ),
            false,
          ),
        }),
        v.description("The organization's SAML 2.0 single sign-on: its identity provider and how it is used."),
      ),
    ),
  }),
  v.description(
    'An organization: verified domains make its users SSO-managed; SSO signs them in; SCIM apps provision them.',
  ),
);

const ProductUser = (product: string) =>
  v.pipe(
    v.strictObject({
      email: v.pipe(Email, v.description(`Sign-in email; unique among ${product} users.`)),
      name: v.pipe(text('the name'), v.description('Display name.')),
      password: v.optional(v.pipe(Password, v.description(`${product} password in clear (an unlinked user).`))),
      linkedTo: v.optional(
        v.pipe(
          Email,
          v.description(`Email of the Twilio user this ${product} user is linked to (signs in with the Twilio login).`),
        ),
      ),
    }),
    v.description(`A ${product} user: either its own password, or linked to a Twilio user (exactly one).`),
  );

const Member = <R extends readonly [string, ...string[]]>(roles: R, product: string) =>
  v.strictObject({
    email: v.pipe(Email, v.description(`Email of a ${product} user of this file.`)),
    role: v.pipe(v.picklist(roles, oneOf(roles)), v.description('Role there.')),
  });

export const WorldFileSchema = v.pipe(
  v.strictObject({
    $schema: v.optional(v.string('expected a string')),
    version: v.pipe(
      v.literal(WORLD_FILE_VERSION, `expected ${WORLD_FILE_VERSION} (the version of this format)`),
      v.description('Version of the world-file format.'),
    ),
    description: v.optional(v.pipe(v.string('expected a string'), v.description('What this world is for.'))),
    defaultPassword: v.optional(
      v.pipe(
        Password,
        v.description(
          'Password for every Twilio user (except organization members) and unlinked product user without its own.',
        ),
      ),
    ),
    organizations: v.optional(v.array(Organization, 'expected a list'), []),
    twilio: v.strictObject({ users: v.array(TwilioUser, 'expected a list') }),
    segment: v.optional(
      v.strictObject({
        users: v.optional(v.array(ProductUser('Segment'), 'expected a list'), []),
        workspaces: v.optional(
          v.array(
            v.pipe(
              v.strictObject({
                id: v.pipe(Id('workspace'), v.description('Fixed workspace id (it appears in URLs).')),
                name: v.pipe(text('the name'), v.description('Display name.')),
                members: v.optional(v.array(Member(SEGMENT_ROLES, 'Segment'), 'expected a list'), []),
                invitations: v.optional(
                  v.array(
                    v.strictObject({
                      email: v.pipe(Email, v.description('Who is invited (need not be a user yet).')),
                      role: v.picklist(SEGMENT_ROLES, oneOf(SEGMENT_ROLES)),
                      invitedBy: v.optional(v.pipe(Email, v.description('Email of the inviting Segment user.'))),
                    }),
                    'expected a list',
                  ),
                  [],
                ),
              }),
              v.description('A Segment workspace with its members and pending invitations (7 days from import).'),
            ),
            'expected a list',
          ),
          [],
        ),
      }),
      { users: [], workspaces: [] },
    ),
    sendgrid: v.optional(
      v.strictObject({
        users: v.optional(v.array(ProductUser('SendGrid'), 'expected a list'), []),
        accounts: v.optional(
          v.array(
            v.pipe(
              v.strictObject({
                id: v.pipe(Id('account'), v.description('Fixed account id (it appears in URLs).')),
                name: v.pipe(text('the name'), v.description('Display name.')),
                teammates: v.optional(v.array(Member(SENDGRID_ROLES, 'SendGrid'), 'expected a list'), []),
              }),
              v.description('A SendGrid account with its teammates.'),
            ),
            'expected a list',
          ),
          [],
        ),
      }),
      { users: [], accounts: [] },
    ),
  }),
  v.description('A test world for the Unified Login Switcher mock world (npm start -- --world FILE).'),
);

export type WorldFile = v.InferOutput<typeof WorldFileSchema>;
export type WorldFileInput = v.InferInput<typeof WorldFileSchema>;
