/**
 * The one error family of the mock world, after oidc-provider's own: every refusal is a `WorldError` with a `code`
 * from a closed union, the HTTP `status` its domain's table gives that code, and an OAuth-shaped body
 * (`{ error, error_description }`) exposed only when `status < 500`. The one error responder (`error-response.ts`)
 * turns any of them into JSON for APIs, the page of the form that was refused (its alert in its section), or the
 * generic error page.
 *
 * Each domain declares its codes and statuses once, in a table below, and gets its subclass; the same code may mean
 * a different status in another domain (a wrong current password is 403 in the Console, 401 in a product).
 */
import type { ApiError } from '../contract/api';
import type { SafeHtml } from './html';

/** Refusals any request of any site can meet (malformed input, CSRF, throttling, …). */
const REQUEST_ERRORS = {
  invalid_request: 400,
  interaction_expired: 400,
  invalid_token: 401,
  forbidden: 403,
  csrf_token_invalid: 403,
  cross_site_request: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  misdirected_request: 421,
  too_many_attempts: 429,
  server_error: 500,
} as const;

/** The Console's account settings: email, password, two-factor authentication, timezone. */
const SETTINGS_ERRORS = {
  reauthentication_required: 403,
  wrong_password: 403,
  invalid_email: 400,
  same_email: 400,
  email_taken: 409,
  weak_password: 400,
  passwords_differ: 400,
  invalid_code: 400,
  invalid_timezone: 400,
  two_factor_already_on: 409,
  two_factor_off: 409,
  enrolment_expired: 400,
  /** A 2FA set-up form from before the set-up was started again (another tab): its QR code is no longer the one. */
  enrolment_restarted: 409,
  link_invalid: 400,
  link_used: 400,
  link_expired: 400,
  link_other_user: 403,
  /** The change of email was cancelled by a password change after it was asked for. */
  link_cancelled: 400,
  /** Too many email checks or verification mails for this user or address: wait for Retry-After. */
  too_many_requests: 429,
  /** An organization's member: their email (and, with SSO enforced, their sign-in) is the organization's. */
  managed_by_organization: 403,
  /** The new email is on an organization's verified domain, whose addresses only that organization gives. */
  email_domain_managed: 409,
} as const;

/** First-time set-up of a product on the login host: link an existing Segment user or create a new one. */
const SETUP_ERRORS = {
  /** The Segment password to prove the Segment user was left empty. */
  password_required: 400,
  /** The Segment password given to prove the Segment user is wrong. */
  wrong_password: 401,
  /** No Segment user has the Twilio user's email: nothing to link. */
  no_matching_user: 400,
  /** The product user with this email is linked to a different Twilio user. */
  linked_to_another: 409,
  /** Creating refused: an unlinked Segment user with this email exists, link it instead (no duplicate). */
  link_existing_instead: 409,
  /** Creating refused: a SendGrid user with this email exists, and SendGrid users cannot be linked. */
  email_in_use: 409,
  /** A name field is empty, too long or has control characters. */
  invalid_name: 400,
  /** The Twilio user's or the Segment user's email changed while the link was being made: nothing was linked. */
  email_changed: 409,
  /** Linking asked of SendGrid, whose existing users can only be kept apart or replaced by a new one. */
  linking_not_available: 400,
} as const;

/** A product's own settings page (Segment, SendGrid). */
const PRODUCT_SETTINGS_ERRORS = {
  /** A linked user's email and password are the Twilio login's, changed only in the Console. */
  managed_in_console: 403,
  reauthentication_required: 400,
  password_too_long: 400,
  wrong_password: 401,
  invalid_email: 400,
  same_email: 400,
  email_taken: 409,
  /** A Twilio login's email met at confirmation: refused without saying whose it is. */
  email_unavailable: 409,
  /** An address on an organization's verified domain: the organization's to give. */
  email_domain_managed: 409,
  weak_password: 400,
  passwords_differ: 400,
  invalid_timezone: 400,
  /** An email verification link that is unknown, someone else's, used or expired. */
  link_invalid: 400,
  too_many_requests: 429,
} as const;

/**
 * SAML single sign-on: the SP refusing a response, the bundled IdP refusing a request, the Console's SSO form and
 * the organization's domains that SSO applies to.
 */
const SSO_ERRORS = {
  saml_malformed: 400,
  saml_doctype_forbidden: 400,
  saml_signature_invalid: 400,
  saml_destination_mismatch: 400,
  saml_recipient_mismatch: 400,
  saml_audience_mismatch: 400,
  saml_issuer_mismatch: 400,
  saml_expired: 400,
  saml_not_yet_valid: 400,
  saml_replayed: 400,
  saml_unsolicited: 400,
  saml_request_reused: 400,
  saml_nameid_invalid: 400,
  saml_response_invalid: 400,
  saml_idp_refused: 400,
  saml_unknown_service_provider: 400,
  saml_idp_initiated_not_allowed: 403,
  /** The (authentic) assertion names someone the organization does not manage. */
  saml_user_outside_organization: 403,
  /** No JIT: the organization has not provisioned this person to Twilio. */
  saml_user_not_provisioned: 403,
  saml_user_deactivated: 403,
  sso_not_configured: 404,
  idp_settings_invalid: 400,
  /** The organization page's domains: not a domain name, claimed already, not claimed, or its DNS proof missing. */
  domain_invalid: 400,
  domain_claimed: 409,
  domain_not_claimed: 404,
  domain_record_missing: 400,
} as const;

/** Requests for unified login during the limited release, and support's decisions on them. */
const ACCESS_ERRORS = {
  /** The user already has unified login: there is nothing to request. */
  already_eligible: 409,
  /** The request was decided already: nothing to grant or decline. */
  not_pending: 409,
} as const;

/**
 * SCIM refusals (RFC 7644 §3.12), coded by their `scimType`. 400s and 409 use RFC 7644's keywords (Table 9); the
 * other statuses, for which the RFC defines none, carry this world's own keyword so clients can still tell them
 * apart.
 */
const SCIM_ERRORS = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidToken: 401,
  insufficientScope: 403,
  notFound: 404,
  methodNotAllowed: 405,
  preconditionFailed: 412,
  tooLarge: 413,
  unsupportedMediaType: 415,
  serverError: 500,
} as const;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;
export type AccessErrorCode = keyof typeof ACCESS_ERRORS;
export type SsoErrorCode = keyof typeof SSO_ERRORS;
export type SettingsErrorCode = keyof typeof SETTINGS_ERRORS;
export type SetupErrorCode = keyof typeof SETUP_ERRORS;
export type ProductSettingsErrorCode = keyof typeof PRODUCT_SETTINGS_ERRORS;
export type ScimErrorCode = keyof typeof SCIM_ERRORS;
/** Every code the world answers with. */
export type WorldErrorCode =
  | RequestErrorCode
  | SettingsErrorCode
  | SetupErrorCode
  | ProductSettingsErrorCode
  | AccessErrorCode
  | SsoErrorCode
  | ScimErrorCode;

export interface WorldErrorOptions {
  cause?: unknown;
  /** Seconds until a throttled caller may try again (429 only); sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** Extra response headers this refusal needs (e.g. `WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
}

export abstract class WorldError<Code extends WorldErrorCode = WorldErrorCode> extends Error {
  abstract override readonly name: string;
  readonly status: number;
  /** Whether the caller may see `code` and `description` (never for 5xx, like oidc-provider's `expose`). */
  readonly expose: boolean;
  readonly retryAfterSeconds?: number;
  readonly headers: Record<string, string>;
  /**
   * Whether the refusal belongs on the page of the form that was submitted (its message in that form's alert),
   * rather than on the generic error page. Request errors never do.
   */
  abstract readonly onForm: boolean;
  /** The media type of the body an API caller gets (`toJSON`). */
  readonly contentType: string = 'application/json';

  protected constructor(
    readonly code: Code,
    readonly description: string,
    status: number,
    options: WorldErrorOptions = {},
  ) {
    super(description, { cause: options.cause });
    this.status = status;
    this.expose = status < 500;
    this.headers = options.headers ?? {};
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The body an API caller sees (OAuth-shaped unless the API has its own error schema). */
  toJSON(): ApiError | object {
    return this.toApiError();
  }

  /** `{ error, error_description }`, as pages and OAuth-style APIs show it. Internal details are never exposed for 5xx. */
  toApiError(): ApiError {
    return this.expose
      ? { error: this.code, error_description: this.description }
      : { error: 'server_error', error_description: 'Something went wrong on our side.' };
  }
}

/** A refusal of the request itself, shown on the generic error page (or as JSON by APIs). */
export class RequestError extends WorldError<RequestErrorCode> {
  override readonly name = 'RequestError';
  readonly onForm = false;
  constructor(code: RequestErrorCode, description: string, options?: WorldErrorOptions) {
    super(code, description, REQUEST_ERRORS[code], options);
  }
}

/** Too many wrong credentials from this account or address: 429 with `Retry-After`, before any hashing. */
export function tooManyAttempts(retryAfterSeconds: number): RequestError {
  return new RequestError('too_many_attempts', 'Too many attempts. Wait a little before trying again.', {
    retryAfterSeconds,
  });
}

/** Why a change of the Console's account settings was refused. */
export class SettingsError extends WorldError<SettingsErrorCode> {
  override readonly name = 'SettingsError';
  readonly onForm = true;
  constructor(code: SettingsErrorCode, description: string, options?: WorldErrorOptions) {
    super(code, description, SETTINGS_ERRORS[code], options);
  }
}

/** A set-up the user cannot do as asked; the description says why and what to do instead. */
export class SetupRefusal extends WorldError<SetupErrorCode> {
  override readonly name = 'SetupRefusal';
  readonly onForm = true;
  constructor(code: SetupErrorCode, description: string, options?: WorldErrorOptions) {
    super(code, description, SETUP_ERRORS[code], options);
  }
}

/** Which part of a product's settings page a refusal belongs to (its alert is shown there). */
export type ProductSettingsSection = 'managed' | 'email' | 'password' | 'timezone';

/** Why a change on a product's settings page was refused, and in which section of the page it is shown. */
export class ProductSettingsError extends WorldError<ProductSettingsErrorCode> {
  override readonly name = 'ProductSettingsError';
  readonly onForm = true;
  /** What the alert shows: the description, or markup with the link that helps (e.g. to the Console). */
  readonly alert: SafeHtml | string;
  constructor(
    readonly section: ProductSettingsSection,
    code: ProductSettingsErrorCode,
    description: string,
    options: WorldErrorOptions & { alert?: SafeHtml } = {},
  ) {
    super(code, description, PRODUCT_SETTINGS_ERRORS[code], options);
    this.alert = options.alert ?? description;
  }
}

/** An access request that cannot be made or decided as asked; the description says why. */
export class AccessRefusal extends WorldError<AccessErrorCode> {
  override readonly name = 'AccessRefusal';
  readonly onForm = true;
  constructor(code: AccessErrorCode, description: string, options?: WorldErrorOptions) {
    super(code, description, ACCESS_ERRORS[code], options);
  }
}

/** A SAML message or an SSO setting refused; the generic error page shows the description and the code. */
export class SsoRefusal extends WorldError<SsoErrorCode> {
  override readonly name = 'SsoRefusal';
  readonly onForm = false;
  constructor(code: SsoErrorCode, description: string, options?: WorldErrorOptions) {
    super(code, description, SSO_ERRORS[code], options);
  }
}

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A SCIM refusal: answered with the SCIM error schema, a `status` string, the `scimType` and a readable `detail`. */
export class ScimError extends WorldError<ScimErrorCode> {
  override readonly name = 'ScimError';
  readonly onForm = false;
  override readonly contentType = 'application/scim+json';
  constructor(scimType: ScimErrorCode, detail: string, options?: WorldErrorOptions) {
    const status = SCIM_ERRORS[scimType];
    const challenge =
      status === 401
        ? 'Bearer realm="scim", error="invalid_token"'
        : status === 403
          ? 'Bearer realm="scim", error="insufficient_scope", scope="scim"'
          : undefined;
    super(scimType, detail, status, {
      ...options,
      headers: { ...(challenge ? { 'WWW-Authenticate': challenge } : {}), ...options?.headers },
    });
  }

  get scimType(): ScimErrorCode {
    return this.code;
  }

  get detail(): string {
    return this.description;
  }

  override toJSON(): object {
    return this.expose
      ? { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), scimType: this.code, detail: this.description }
      : {
          schemas: [SCIM_ERROR_SCHEMA],
          status: String(this.status),
          detail: 'The server could not complete the request.',
        };
  }
}
