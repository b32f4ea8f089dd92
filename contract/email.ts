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
// Characters that have no business in an address the world stores or looks up: HTML meta characters (the backtick
// quoted attributes in old browsers) and what an address needs quoting for (RFC 5322 §3.2.3). The apostrophe is
// ordinary atext and real names carry it (o'neil@…): it is allowed, and escaped like any text where it is shown.
const META_CHARACTERS = /[<>"`;\\]/;

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

/*
 * What an email address may contain, decided once for every boundary that takes one (the Twilio login, the
 * products' logins, the Console's and the products' email changes, the public lookup): no control or invisible
 * characters (NUL included), no compatibility forms (fullwidth or styled letters), and no part that mixes scripts
 * (a Cyrillic "а" among Latin letters), because such addresses look like someone else's. Unicode in one script per
 * part (internationalised addresses) stays allowed.
 */

/** Scripts that mix in ordinary use count as one (Japanese writes Han with kana; Korean with Han). */
const SCRIPT_GROUPS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

function scriptOf(letter: string): string {
  for (const [name, pattern] of SCRIPT_GROUPS) if (pattern.test(letter)) return name;
  return `other:${letter}`;
}

function mixesScripts(part: string): boolean {
  const scripts = new Set<string>();
  for (const letter of part.match(/\p{L}/gu) ?? []) scripts.add(scriptOf(letter));
  return scripts.size > 1;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Why `email` cannot be used, as a sentence to show the person, or undefined when its characters are fine. Shape
 * checks (one @, a dotted domain) stay with each boundary.
 */
export function emailCharacterProblem(email: string): string | undefined {
  // Printable ASCII passes every check below (no control character, nothing NFKC changes, one script): most emails.
  if (PRINTABLE_ASCII.test(email)) return undefined;
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u.test(email)) {
    return 'That email contains a control or invisible character. Type the address again.';
  }
  if (email.normalize('NFKC') !== email.normalize('NFC')) {
    return 'That email contains fullwidth or styled characters. Type it with ordinary letters.';
  }
  if (email.split(/[@.]/).some(mixesScripts)) {
    return 'That email mixes letters of different alphabets (for example Latin and Cyrillic), so it can look like another address. Type it again in one alphabet.';
  }
  return undefined;
}
