/**
 * The JSON API of the Twilio identity host that the extension reads, as valibot schemas.
 * The server builds its responses with these types; the extension validates what it receives against them.
 */
import * as v from 'valibot';
import { PRODUCT_IDS, SETUP_PRODUCT_IDS } from './catalogue';
import { emailCharacterProblem, isEmailAddress, MAX_EMAIL_LENGTH, normaliseEmail } from './email';

export const ProductStatusSchema = v.picklist(['active', 'linked', 'not_set_up', 'unavailable', 'access_requested']);
/**
 * `active`: the Console itself; `linked`: set up for this user; `not_set_up`: eligible, first switch pending;
 * `unavailable`: limited release (the user may request access); `access_requested`: limited release, a request is
 * waiting for support (no second request).
 */
export type ProductStatus = v.InferOutput<typeof ProductStatusSchema>;

export const MeSchema = v.object({
  sub: v.string(),
  name: v.string(),
  email: v.string(),
  /** Selected for the limited release of unified login. */
  eligible: v.boolean(),
});
export type Me = v.InferOutput<typeof MeSchema>;

export const ProductEntrySchema = v.object({
  id: v.picklist(PRODUCT_IDS),
  name: v.string(),
  status: ProductStatusSchema,
  /** Where choosing the product leads (home when set up, the set-up page otherwise); absent when unavailable. */
  url: v.optional(v.string()),
  /** Shown under the product, e.g. "Contact support to request access". */
  note: v.optional(v.string()),
  /** Workspaces (Segment) or accounts (SendGrid) the user belongs to, most recently visited first. */
  workspaces: v.array(v.object({ id: v.string(), name: v.string(), role: v.string(), url: v.string() })),
});
export type ProductEntry = v.InferOutput<typeof ProductEntrySchema>;

export const ProductsResponseSchema = v.object({ products: v.array(ProductEntrySchema) });
export type ProductsResponse = v.InferOutput<typeof ProductsResponseSchema>;

/**
 * API paths on the login host. All need `Authorization: Bearer <access token>`.
 * - `signOut` (POST → 204): sign out of Twilio everywhere — every IdP session of the user ends (with back-channel
 *   logouts to the products) and every grant is revoked, the extension's included.
 */
export const API_PATHS = {
  me: '/api/me',
  products: '/api/products',
  signOut: '/api/sign-out',
  accessRequest: '/api/access-request',
} as const;

/**
 * Request access (limited release): `POST API_PATHS.accessRequest` with no body → 202 `AccessRequestResponse`,
 * the same for a request already waiting (no duplicate); 409 `already_eligible` for a user who has unified login.
 * Afterwards /api/products reports Segment and SendGrid as `access_requested` with the note "Access requested";
 * once support grants it they become `not_set_up` (no new sign-in needed).
 */
export const AccessRequestResponseSchema = v.object({ status: v.literal('access_requested') });
export type AccessRequestResponse = v.InferOutput<typeof AccessRequestResponseSchema>;

/**
 * Why a Twilio session ended, sent with the 401 of a token that no longer works (`session_ended`), so the
 * extension can tell the person: signed out of Twilio (anywhere), password changed, user deactivated.
 */
export const SessionEndReasonSchema = v.picklist(['signed_out', 'password_changed', 'deactivated']);
export type SessionEndReason = v.InferOutput<typeof SessionEndReasonSchema>;

/** Machine-readable error body of every 4xx the mock world returns (OAuth's shape). */
export const ApiErrorSchema = v.object({
  error: v.string(),
  error_description: v.optional(v.string()),
  session_ended: v.optional(SessionEndReasonSchema),
});
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;

/**
 * Redirect-on-detected-email (issue 4). The one lookup on the login host that answers, for an email and a product,
 * only "unified or not": `POST LOOKUP_PATH` with JSON `LookupRequest` → 200 `LookupResponse`, 400 on malformed
 * input, 429 with Retry-After when rate limited. CORS: product origins and the extension only.
 */
export const LOOKUP_PATH = '/api/lookup';
/**
 * The lookup's request body; the server parses with exactly this schema. Strict: unknown keys are refused. The email
 * comes out normalised (the form the world stores emails in); the first issue's message is the 400's description.
 */
export const LookupRequestSchema = v.strictObject({
  email: v.pipe(
    v.string('email must be a string.'),
    v.maxLength(MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters.`),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = dataset.typed ? emailCharacterProblem(dataset.value) : undefined;
      if (problem) addIssue({ message: problem });
    }),
    v.transform(normaliseEmail),
    v.check(isEmailAddress, 'email is not an email address.'),
  ),
  product: v.picklist(SETUP_PRODUCT_IDS, `product must be ${SETUP_PRODUCT_IDS.map((id) => `"${id}"`).join(' or ')}.`),
});
export type LookupRequest = v.InferOutput<typeof LookupRequestSchema>;
export const LookupResponseSchema = v.object({ unified: v.boolean() });
export type LookupResponse = v.InferOutput<typeof LookupResponseSchema>;

/**
 * Each product's own "continue with Twilio" route (on the product's origin): begins the product's OIDC request
 * with its own state, nonce and PKCE and `login_hint`. Query: `login_hint` (the email) and optional `next`
 * (a same-origin relative path). The extension navigates only here, never to the IdP directly.
 */
export const CONTINUE_WITH_TWILIO_PATH = '/login/twilio';
/** The products' own login pages (email + password form, `input#email`, `input#password`). */
export const PRODUCT_LOGIN_PATH = '/login';
