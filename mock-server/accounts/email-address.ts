/**
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

/**
 * Why `email` cannot be used, as a sentence to show the person, or undefined when its characters are fine. Shape
 * checks (one @, a dotted domain) stay with each boundary.
 */
export function emailCharacterProblem(email: string): string | undefined {
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
