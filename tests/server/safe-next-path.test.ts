import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../contract/next-path';

describe('safeNextPath', () => {
  it.each(['/', '/settings', '/workspaces/ws_ben_co?tab=members#top', '/a/../b'])(
    'keeps the same-origin path %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    ['scheme-relative', '//evil.localhost'],
    ['backslash', '/\\evil.localhost'],
    ['absolute', 'https://evil.localhost/'],
    ['javascript', 'javascript:alert(1)'],
    ['tab that a browser strips', '/\t/evil.localhost'],
    ['newline', '/\n/evil.localhost'],
    ['dot segments to //', '/a/..//evil.localhost'],
    ['relative without slash', 'settings'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(600)}`],
  ])('answers / for a %s next (%s)', (_kind, next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('answers / when there is no next at all', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(null)).toBe('/');
  });
});
