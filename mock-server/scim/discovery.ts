/**
 * SCIM discovery (RFC 7644 §4, RFC 7643 §5–7): what this service provider supports, its resource types and the
 * schemas of the attributes it keeps. Provisioning clients read these to decide how to talk to us.
 */
import { MAX_PAGE_SIZE } from './scim-resources';
import { MAX_PATCH_OPERATIONS, SCHEMAS } from './scim-schemas';

export const MAX_SCIM_BODY_BYTES = 512 * 1024;

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SCHEMAS.serviceProviderConfig],
    documentationUri: `${baseUrl.replace(/\/scim\/v2$/, '')}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth 2.0 client credentials',
        description: `A Bearer access token from the Twilio login's token endpoint (client credentials grant, scope "scim") for a SCIM app of your organization. PATCH takes at most ${MAX_PATCH_OPERATIONS} operations; request bodies at most ${MAX_SCIM_BODY_BYTES} bytes.`,
        specUri: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.4',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: [SCHEMAS.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Twilio users managed by your organization (userName is their email)',
      schema: SCHEMAS.user,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [SCHEMAS.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Groups of your organization’s users',
      schema: SCHEMAS.group,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

const attribute = (
  name: string,
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime',
  {
    required = false,
    multiValued = false,
    mutability = 'readWrite' as Mutability,
    uniqueness = 'none',
    caseExact = false,
    subAttributes,
    description,
  }: {
    required?: boolean;
    multiValued?: boolean;
    mutability?: Mutability;
    uniqueness?: 'none' | 'server';
    caseExact?: boolean;
    subAttributes?: object[];
    description: string;
  },
) => ({
  name,
  type,
  multiValued,
  description,
  required,
  caseExact,
  mutability,
  returned: 'default',
  uniqueness,
  ...(subAttributes ? { subAttributes } : {}),
});

export function schemas(baseUrl: string) {
  return [
    {
      schemas: [SCHEMAS.schema],
      id: SCHEMAS.user,
      name: 'User',
      description: 'A Twilio user managed by the organization',
      attributes: [
        attribute('userName', 'string', {
          required: true,
          uniqueness: 'server',
          description: 'The user’s email; must equal the primary email, of a verified domain of the organization',
        }),
        attribute('externalId', 'string', { caseExact: true, description: 'The provisioning client’s id' }),
        attribute('name', 'complex', {
          description: 'The user’s name',
          subAttributes: [
            attribute('formatted', 'string', { description: 'The full name' }),
            attribute('givenName', 'string', { description: 'Given name' }),
            attribute('familyName', 'string', { description: 'Family name' }),
          ],
        }),
        attribute('displayName', 'string', { description: 'The name shown in Twilio' }),
        attribute('emails', 'complex', {
          required: true,
          multiValued: true,
          description: 'Email addresses; the primary one is the userName',
          subAttributes: [
            attribute('value', 'string', { description: 'The address' }),
            attribute('type', 'string', { description: '"work"' }),
            attribute('primary', 'boolean', { description: 'Whether it is the primary address' }),
          ],
        }),
        attribute('active', 'boolean', { description: 'false deprovisions: the user is signed out everywhere' }),
        attribute('groups', 'complex', {
          multiValued: true,
          mutability: 'readOnly',
          description: 'Groups the user belongs to (change them through Groups)',
        }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMAS.user}` },
    },
    {
      schemas: [SCHEMAS.schema],
      id: SCHEMAS.group,
      name: 'Group',
      description: 'A group of the organization’s users',
      attributes: [
        attribute('displayName', 'string', { required: true, uniqueness: 'server', description: 'The group’s name' }),
        attribute('externalId', 'string', { caseExact: true, description: 'The provisioning client’s id' }),
        attribute('members', 'complex', {
          multiValued: true,
          description: 'Users of the organization in the group',
          subAttributes: [
            attribute('value', 'string', { mutability: 'immutable', description: 'The user’s id' }),
            attribute('display', 'string', { mutability: 'readOnly', description: 'The user’s email' }),
            attribute('$ref', 'reference', { mutability: 'immutable', description: 'The user’s URI' }),
          ],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCHEMAS.group}` },
    },
  ];
}
