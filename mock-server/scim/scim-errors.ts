/**
 * SCIM refusals (RFC 7644 §3.12): every one answers with the SCIM error schema, a `status` string, a `scimType`
 * keyword and a readable `detail`. 400s and 409 use RFC 7644's keywords; the other statuses, for which the RFC
 * defines none, carry this world's own keyword so clients can still tell them apart.
 */
import type { Context } from 'hono';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** The keyword of a refusal and the HTTP status it goes with. */
const STATUSES = {
  // RFC 7644 Table 9
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  // ours, for statuses the RFC gives no keyword
  invalidToken: 401,
  insufficientScope: 403,
  notFound: 404,
  methodNotAllowed: 405,
  preconditionFailed: 412,
  tooLarge: 413,
  unsupportedMediaType: 415,
} as const;

export type ScimType = keyof typeof STATUSES;

export class ScimError extends Error {
  override readonly name = 'ScimError';
  readonly status: (typeof STATUSES)[ScimType];

  constructor(
    readonly scimType: ScimType,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.status = STATUSES[scimType];
  }
}

export function isScimError(value: unknown): value is ScimError {
  return value instanceof ScimError;
}

/** The SCIM error body for `error`; anything that is not a ScimError is a 500 that says nothing of its cause. */
export function scimErrorResponse(error: unknown, c: Context): Response {
  if (!isScimError(error)) console.error('[scim] unexpected error', error);
  const status = isScimError(error) ? error.status : 500;
  const body = isScimError(error)
    ? { schemas: [SCIM_ERROR_SCHEMA], status: String(status), scimType: error.scimType, detail: error.detail }
    : { schemas: [SCIM_ERROR_SCHEMA], status: '500', detail: 'The server could not complete the request.' };
  const headers: Record<string, string> = { 'Content-Type': SCIM_CONTENT_TYPE, 'Cache-Control': 'no-store' };
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scim", error="invalid_token"';
  // The rest of an oversized body is never read: the connection cannot carry another request.
  if (status === 413) headers.Connection = 'close';
  if (status === 403) headers['WWW-Authenticate'] = 'Bearer realm="scim", error="insufficient_scope", scope="scim"';
  return c.body(JSON.stringify(body), status, headers);
}
