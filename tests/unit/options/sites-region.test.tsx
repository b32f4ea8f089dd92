/**
 * The world's sites on the typed port are a structure whose name is announced: a `dl` has no role that takes a
 * name, so an `aria-label` on it is not read. Checked by role and accessible name, as assistive technology sees it.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../contract/catalogue';
import { createOptionsModel } from '../../../src/options/model';
import { Options } from '../../../src/options/Options';
import { renderTarget } from '../support/container';
import { createMemoryStorageArea } from '../support/fakes';

/** The ARIA role: explicit, else the implicit one of the elements this page uses (a named `section` is a region). */
function roleOf(element: Element): string | null {
  const explicit = element.getAttribute('role');
  if (explicit) return explicit;
  if (element.localName === 'section') return nameOf(element) ? 'region' : null;
  return null;
}

/** The accessible name from `aria-labelledby` or `aria-label` (what naming these elements may use). */
function nameOf(element: Element): string {
  const ids = element.getAttribute('aria-labelledby');
  if (ids) {
    return ids
      .split(/\s+/)
      .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim();
  }
  return element.getAttribute('aria-label')?.trim() ?? '';
}

/** Roles that take a name from the author (not from content) and are announced with it. */
const NAMED_ROLES = new Set(['region', 'group', 'list', 'table', 'form']);

const target = renderTarget();

describe("the options page's list of the world's sites", () => {
  it('is a region named by its heading, holding each site and its origin', () => {
    const model = createOptionsModel(
      {
        area: createMemoryStorageArea(),
        builtInPort: 8787,
        testConnection: async (port) => ({ ok: true, issuer: issuerFor(port) }),
        requestHostPermissions: async () => true,
      },
      9000,
    );
    act(() => render(<Options model={model} />, target.element));
    const named = [...target.element.querySelectorAll('*')].filter((element) => {
      const role = roleOf(element);
      return role !== null && NAMED_ROLES.has(role) && nameOf(element) === 'The world’s sites on this port';
    });
    expect(named.map(roleOf)).toEqual(['region']);
    const [region] = named;
    expect(region?.querySelector('h3')?.id).toBe(region?.getAttribute('aria-labelledby'));
    expect([...region!.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual([
      'Twilio login',
      'Twilio Console',
      'Segment',
      'SendGrid',
    ]);
    expect(region?.querySelector('dd')?.textContent).toBe('http://login.twilio.localhost:9000');
    // Nothing left that names an element whose role takes no name.
    for (const element of target.element.querySelectorAll('[aria-label]')) expect(roleOf(element)).not.toBeNull();
  });
});
