/**
 * What SCIM clients may send (valibot schemas, RFC 7643 §4): Users, Groups and PATCH requests. Attribute names
 * are case-insensitive in SCIM, so bodies are put in canonical case first; attributes we do not keep (titles,
 * addresses, the enterprise extension, passwords) are accepted and ignored, as real provisioning clients send
 * them. Booleans may arrive as the strings "True"/"False" (Microsoft Entra does that).
 */

import * as v from 'valibot';
import { emailCharacterProblem, isEmailAddress, MAX_EMAIL_LENGTH, normaliseEmail } from '../../contract/email';
import { ScimError } from './scim-errors';

export const SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** At most this many operations in one PATCH: more is refused before any is applied. */
export const MAX_PATCH_OPERATIONS = 100;
/** At most this many members added or removed by one Groups PATCH or PUT. */
export const MAX_GROUP_MEMBERS_PER_REQUEST = 1000;

export const MAX_NAME_LENGTH = 200;
export const MAX_EXTERNAL_ID_LENGTH = 256;

/** true/false, or Entra's "True"/"False" strings. */
const BooleanLike = v.union([
  v.boolean(),
  v.pipe(
    v.string(),
    v.toLowerCase(),
    v.picklist(['true', 'false'], 'must be a boolean'),
    v.transform((text) => text === 'true'),
  ),
]);

const ShortText = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));

/** The world's own email rules (contract/email.ts), as at the login, the Console and in a world file. */
const emailCharacters = v.check<string, (issue: v.CheckIssue<string>) => string>(
  (email) => emailCharacterProblem(email) === undefined,
  (issue) => emailCharacterProblem(issue.input)!,
);

const EmailAddress = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty('must not be empty'),
  v.maxLength(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`),
  emailCharacters,
  v.check((email) => isEmailAddress(normaliseEmail(email)), 'must be an email address'),
);

const EmailEntry = v.looseObject({
  value: EmailAddress,
  type: v.optional(ShortText(40)),
  primary: v.optional(BooleanLike),
});

export const UserInputSchema = v.looseObject({
  userName: v.pipe(
    v.string('userName is required'),
    v.trim(),
    v.nonEmpty('userName is required'),
    v.maxLength(MAX_EMAIL_LENGTH, `userName must be at most ${MAX_EMAIL_LENGTH} characters`),
    emailCharacters,
  ),
  externalId: v.optional(v.nullable(ShortText(MAX_EXTERNAL_ID_LENGTH))),
  displayName: v.optional(v.nullable(ShortText(MAX_NAME_LENGTH))),
  name: v.optional(
    v.nullable(
      v.looseObject({
        formatted: v.optional(v.nullable(ShortText(MAX_NAME_LENGTH))),
        givenName: v.optional(v.nullable(ShortText(MAX_NAME_LENGTH))),
        familyName: v.optional(v.nullable(ShortText(MAX_NAME_LENGTH))),
      }),
    ),
  ),
  emails: v.pipe(
    v.array(EmailEntry, 'emails is required'),
    v.minLength(1, 'emails is required'),
    v.maxLength(10, 'at most 10 emails'),
  ),
  active: v.optional(BooleanLike),
});
export type UserInput = v.InferOutput<typeof UserInputSchema>;

const MemberRef = v.looseObject({ value: v.pipe(v.string(), v.nonEmpty(), v.maxLength(64)) });

export const GroupInputSchema = v.looseObject({
  displayName: v.pipe(
    v.string('displayName is required'),
    v.trim(),
    v.nonEmpty('displayName is required'),
    v.maxLength(MAX_NAME_LENGTH),
  ),
  externalId: v.optional(v.nullable(ShortText(MAX_EXTERNAL_ID_LENGTH))),
  members: v.optional(v.pipe(v.array(MemberRef), v.maxLength(MAX_GROUP_MEMBERS_PER_REQUEST))),
});
export type GroupInput = v.InferOutput<typeof GroupInputSchema>;

/**
 * A group as a PATCH leaves it: any number of members, since a PATCH names only the members it adds or removes
 * (at most MAX_GROUP_MEMBERS_PER_REQUEST, which scim-groups.ts counts).
 */
export const PatchedGroupSchema = v.looseObject({
  ...GroupInputSchema.entries,
  members: v.optional(v.array(MemberRef)),
});

const PatchOperationSchema = v.looseObject({
  op: v.pipe(
    v.string('op is required'),
    v.transform((op) => op.toLowerCase()),
    v.picklist(['add', 'remove', 'replace'], 'op must be add, remove or replace'),
  ),
  path: v.optional(v.pipe(v.string(), v.maxLength(512, 'path is too long'))),
  value: v.optional(v.unknown()),
});

export const PatchRequestSchema = v.looseObject({
  schemas: v.pipe(
    v.array(v.string()),
    v.check((schemas) => schemas.includes(SCHEMAS.patchOp), `schemas must include ${SCHEMAS.patchOp}`),
  ),
  Operations: v.pipe(v.array(PatchOperationSchema, 'Operations is required'), v.minLength(1, 'Operations is required')),
});
export type PatchOperation = v.InferOutput<typeof PatchOperationSchema>;

const CANONICAL_NAMES = [
  'schemas',
  'id',
  'meta',
  'externalId',
  'userName',
  'name',
  'formatted',
  'givenName',
  'familyName',
  'displayName',
  'emails',
  'value',
  'type',
  'primary',
  'active',
  'groups',
  'members',
  'display',
  'Operations',
  'op',
  'path',
];
const CANONICAL = new Map(CANONICAL_NAMES.map((name) => [name.toLowerCase(), name]));

/** The same JSON with the attribute names SCIM knows in their canonical case (`USERNAME` → `userName`). */
export function canonicalCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [CANONICAL.get(key.toLowerCase()) ?? key, canonicalCase(inner)]),
  );
}

/** Parses `input` with `schema`, or throws a 400 `invalidValue` naming the first problem. */
export function parseScim<Schema extends v.GenericSchema>(schema: Schema, input: unknown): v.InferOutput<Schema> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ScimError('invalidSyntax', 'The request body must be a JSON object.');
  }
  const result = v.safeParse(schema, canonicalCase(input));
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '';
  const message =
    issue.received === 'undefined' && path
      ? `${path} is required`
      : issue.message.startsWith(path)
        ? issue.message
        : `${path ? `${path}: ` : ''}${issue.message}`;
  throw new ScimError('invalidValue', message);
}
