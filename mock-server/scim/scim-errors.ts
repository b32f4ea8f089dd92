/**
 * SCIM refusals (RFC 7644 §3.12): every one answers with the SCIM error schema, a `status` string, a `scimType`
 * keyword and a readable `detail`. 400s and 409 use RFC 7644's keywords; the other statuses, for which the RFC
 * defines none, carry this world's own keyword so clients can still tell them apart.
 */
import type { Context } from 'hono';
import { answerTo, type ErrorAnswer, errorResponse } from '../error-response';
import { ScimError } from '../errors';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** SCIM's refusals are of the world's one error family; their codes and statuses are in errors.ts. */
export { SCIM_ERROR_SCHEMA, ScimError, type ScimErrorCode as ScimType } from '../errors';

export function isScimError(value: unknown): value is ScimError {
  return value instanceof ScimError;
}

/** The SCIM error answer to `error`, from the one error responder; anything else is a SCIM 500 that says nothing. */
export function scimErrorResponse(error: unknown, c: Context): Response {
  const refusal = isScimError(error)
    ? error
    : new ScimError('serverError', 'The server could not complete the request.', { cause: error });
  return errorResponse(refusal, c, { json: true });
}

/** The answer the server's edge gives a SCIM request whose body is past `maxBytes` (it never reaches the routes). */
export function scimTooLargeAnswer(maxBytes: number): ErrorAnswer {
  return answerTo(new ScimError('tooLarge', `The request body is larger than ${maxBytes} bytes.`), { json: true });
}
