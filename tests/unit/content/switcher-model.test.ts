import { describe, expect, it } from 'vitest';
import { createSwitcherModel, SIGN_IN_LABEL } from '../../../src/content/switcher-model';

describe('switcher model', () => {
  it('starts loading and closed, and reports a change only when the entries change', () => {
    const model = createSwitcherModel('segment');
    expect(model.open).toBe(false);
    expect(model.entries.map((entry) => entry.label)).toEqual(['Loading products…']);
    expect(model.show({ status: 'signed_out' })).toBe(true);
    expect(model.entries.map((entry) => entry.label)).toEqual([SIGN_IN_LABEL]);
    expect(model.show({ status: 'signed_out' })).toBe(false);
    expect(model.view).toEqual({ status: 'signed_out' });
  });

  it('marks the page’s own product current and leaves out workspaces whose URL is not allowed', () => {
    const model = createSwitcherModel('segment');
    model.show({
      status: 'signed_in',
      products: [
        {
          id: 'segment',
          name: 'Segment',
          status: 'linked',
          url: 'http://app.segment.localhost:8787/',
          workspaces: [
            { id: 'w1', name: 'Ada Analytics', role: 'Owner', url: 'http://app.segment.localhost:8787/login/twilio' },
            { id: 'w2', name: 'Elsewhere', role: 'Owner', url: 'https://evil.example/' },
          ],
        },
      ],
    });
    expect(model.entries.map((entry) => [entry.key, entry.current])).toEqual([
      ['segment', true],
      ['segment/w1', false],
    ]);
  });
});
