/**
 * Validation of the message contract (messages.ts): a valibot schema for every request payload. Only the
 * background imports this, so the popup and the content scripts do not carry the schemas or valibot.
 */

import * as v from 'valibot';
import { isCompleteEmail, MAX_EMAIL_LENGTH } from './email';
import type { Message, MessageType, RequestOf } from './messages';

const EmptySchema = v.strictObject({});

/** A schema for every request payload. Strict objects: unknown keys are refused, not ignored. */
export const payloadSchemas = {
  getState: EmptySchema,
  signIn: EmptySchema,
  signOut: EmptySchema,
  signOutEverywhere: EmptySchema,
  refreshProducts: v.strictObject({ force: v.optional(v.boolean()) }),
  getSwitcherState: v.strictObject({ recheck: v.optional(v.boolean()) }),
  startSignIn: EmptySchema,
  requestAccess: EmptySchema,
  lookupEmail: v.strictObject({
    email: v.pipe(v.string(), v.maxLength(MAX_EMAIL_LENGTH), v.check(isCompleteEmail)),
  }),
  getContinueAs: EmptySchema,
} satisfies { [K in MessageType]: v.GenericSchema<unknown, RequestOf<K>> };

/** The envelope every message must have; the payload is checked against `payloadSchemas[type]` after it. */
export const EnvelopeSchema = v.strictObject({
  type: v.picklist(Object.keys(payloadSchemas) as MessageType[]),
  data: v.unknown(),
});

/** Validate an untrusted value as a `Message`; `undefined` when it is not one. */
export function parseMessage(value: unknown): Message | undefined {
  const envelope = v.safeParse(EnvelopeSchema, value);
  if (!envelope.success) return undefined;
  const { type, data } = envelope.output;
  const payload = v.safeParse(payloadSchemas[type], data);
  return payload.success ? ({ type, data: payload.output } as Message) : undefined;
}
