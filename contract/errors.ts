/**
 * Errors of the extension: one class with a `code` from a closed union, so callers `switch` on the code and the
 * router can send a machine-readable answer across contexts. Messages are for people; codes are for code.
 */

export const ERROR_CODES = [
  /** The message came from somewhere other than an extension page or a product page's content script. */
  'untrusted_sender',
  /** A content script asked for something only extension pages (the popup) may do. */
  'privileged_message',
  /** The message or its payload does not match the contract. */
  'invalid_message',
  /** The operation needs a signed-in user and there is none. */
  'signed_out',
  /** The user closed the sign-in window or the IdP refused (e.g. `access_denied`). */
  'sign_in_cancelled',
  /** The sign-in flow failed: bad authorization response, failed code exchange. */
  'sign_in_failed',
  /** The authorization response's `state` is not the one this extension sent. */
  'state_mismatch',
  /** The authorization response's `iss` is not the expected issuer (mix-up defence, RFC 9207). */
  'issuer_mismatch',
  /** A token (ID token signature/claims, or a refused refresh token) is not acceptable. */
  'token_invalid',
  /** The IdP or API could not be reached. */
  'network',
  /** The IdP or API answered with something unexpected. */
  'server',
  /** A bug: anything not covered above. */
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error shape sent across contexts in a rejected reply. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

export class ExtensionError extends Error {
  override name = 'ExtensionError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** The wire form of any thrown value; unknown errors become `internal` without leaking their details. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ExtensionError) return error.toWire();
  return { code: 'internal', message: 'Something went wrong in the extension.' };
}
