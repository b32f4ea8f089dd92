/**
 * Errors of the mock world. Each has a `code` from a closed union, an HTTP status and an OAuth-shaped body
 * (`{ error, error_description }`), like oidc-provider's own errors, so API callers get machine-readable 4xx and
 * pages can render a readable message from the same object.
 */
import type { ApiError } from '../contract/api';

export type WorldErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'forbidden'
  | 'csrf_token_invalid'
  | 'cross_site_request'
  | 'not_found'
  | 'payload_too_large'
  | 'too_many_attempts'
  | 'interaction_expired'
  | 'method_not_allowed'
  | 'misdirected_request'
  | 'server_error';

const STATUS: Record<WorldErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  forbidden: 403,
  csrf_token_invalid: 403,
  cross_site_request: 403,
  not_found: 404,
  payload_too_large: 413,
  too_many_attempts: 429,
  interaction_expired: 400,
  method_not_allowed: 405,
  misdirected_request: 421,
  server_error: 500,
};

export class WorldError extends Error {
  override readonly name = 'WorldError';
  readonly status: number;
  /** Seconds until a throttled caller may try again (429 only). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: WorldErrorCode,
    readonly description: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(description, { cause: options.cause });
    this.status = STATUS[code];
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The body an API caller sees. Internal details are never exposed for 5xx. */
  toJSON(): ApiError {
    return this.status < 500
      ? { error: this.code, error_description: this.description }
      : { error: 'server_error', error_description: 'Something went wrong on our side.' };
  }
}

/**
 * A family of refusals a page shows the person: `code` from a closed set decides the HTTP status; `message` is
 * the readable text. Settings and set-up each declare their codes and statuses once and get their class here.
 */
export function refusalClass<Code extends string, Status extends number>(name: string, statuses: Record<Code, Status>) {
  return class Refusal extends Error {
    override readonly name = name;
    readonly status: Status;

    constructor(
      readonly code: Code,
      message: string,
      options: { cause?: unknown } = {},
    ) {
      super(message, { cause: options.cause });
      this.status = statuses[code];
    }
  };
}
