/**
 * Names people give things that others then see (a workspace, an account, a SCIM app): one line, nothing hidden.
 * Hidden means the invisible characters that make a name read as another (a zero-width space, a BOM) or turn the
 * text around it (bidi embeddings, overrides and isolates: an unclosed U+202E reverses the rest of the sentence it
 * is shown in). Zero-width (non-)joiners stay: Persian and Indic names and emoji need them.
 */
const HIDDEN = /[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]/u;

/** Why `name` (trimmed already) cannot be used, or undefined when it can. */
export function displayNameProblem(name: string, maxLength: number): string | undefined {
  if (name.length > maxLength || /[\p{Cc}\u2028\u2029]/u.test(name)) {
    return `Use a name of at most ${maxLength} characters on one line.`;
  }
  if (HIDDEN.test(name)) return 'Use a name without invisible or text-direction characters.';
  return undefined;
}
