// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { emailCharacterProblem, isEmailAddress } from '../../../contract/email';

const CONTROL = 'That email contains a control or invisible character. Type the address again.';

/** The edges of the printable-ASCII fast path: what it lets through and what it leaves to the full checks. */
describe('emailCharacterProblem on ASCII', () => {
  it('accepts every printable ASCII character', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(printable).toHaveLength(95);
    expect(emailCharacterProblem(`${printable}@example.com`)).toBeUndefined();
    expect(emailCharacterProblem('ada@example.com')).toBeUndefined();
  });

  it('refuses every ASCII control character (NUL to US, and DEL) as a control character', () => {
    const controls = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f].map((code) => String.fromCharCode(code));
    expect(controls).toHaveLength(33);
    for (const control of controls) expect(emailCharacterProblem(`ada@exa${control}mple.com`)).toBe(CONTROL);
  });

  it('leaves anything past ASCII to the full checks', () => {
    expect(emailCharacterProblem('ada@ex\u0430mple.com')).toMatch(/mixes letters of different alphabets/);
    expect(emailCharacterProblem('ada@\uff45xample.com')).toMatch(/fullwidth or styled/);
    expect(emailCharacterProblem('zoë@example.com')).toBeUndefined();
  });
});

describe('isEmailAddress', () => {
  it("takes an apostrophe, ordinary in addresses (o'neil@…)", () => {
    expect(isEmailAddress("o'neil@example.com")).toBe(true);
    expect(isEmailAddress("d'arcy.o'hara@example.co.uk")).toBe(true);
  });

  it('refuses HTML meta characters and what an address would need quoting for', () => {
    for (const character of ['<', '>', '"', '`', ';', '\\']) {
      expect(isEmailAddress(`o${character}neil@example.com`), character).toBe(false);
    }
  });
});
