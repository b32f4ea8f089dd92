/**
 * Emails, as the extension and the world both read them: one length limit, one normal form, one pattern.
 */

/** Longest email address accepted anywhere (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** The form every email is stored and compared in: NFC, trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

// One '@', no spaces or control characters, a dotted domain whose last label has at least two characters.
// Deliberately simple: it decides when an email looks complete, not whether it is deliverable. Unicode is allowed
// (IDN, EAI).
const COMPLETE_EMAIL = /^[^\s@\p{Cc}]{1,64}@(?:[^\s@.\p{Cc}]+\.)+[^\s@.\p{Cc}]{2,}$/u;
// Characters that have no business in an address the world stores or looks up (HTML and SQL meta characters).
const META_CHARACTERS = /[<>"'`;\\]/;

/**
 * Whether `value` looks like a complete email address (at most `MAX_EMAIL_LENGTH` characters). The extension asks
 * about what the person typed as soon as it is complete; it shows the email as text, so it needs nothing stricter.
 */
export function isCompleteEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && COMPLETE_EMAIL.test(value);
}

/** Whether the world accepts `value` as an email to store or look up: complete, and free of meta characters. */
export function isEmailAddress(value: string): boolean {
  return isCompleteEmail(value) && !META_CHARACTERS.test(value);
}
