import { afterEach, describe, expect, it } from 'vitest';
import { MARKER_ATTRIBUTE, mountInShadow, SHADOW_MODE } from '../../../src/content/mount';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('mountInShadow', () => {
  it('mounts a marked host with the styles inside a closed shadow root outside the e2e build', () => {
    const target = document.body.appendChild(document.createElement('div'));
    const mounted = mountInShadow(target, {
      feature: 'demo',
      css: ':host{color:red}',
      signal: new AbortController().signal,
    })!;
    expect(SHADOW_MODE).toBe('closed');
    expect(mounted.host.tagName).toBe('ULS-DEMO');
    expect(mounted.host.getAttribute(MARKER_ATTRIBUTE)).toBe('demo');
    expect(mounted.host.shadowRoot).toBeNull();
    expect(mounted.root.querySelector('style')?.textContent).toBe(':host{color:red}');
  });

  it('is a no-op when the feature is already mounted in the target', () => {
    const target = document.body.appendChild(document.createElement('div'));
    const signal = new AbortController().signal;
    expect(mountInShadow(target, { feature: 'demo', css: '', signal })).toBeDefined();
    expect(mountInShadow(target, { feature: 'demo', css: '', signal })).toBeUndefined();
    expect(target.children).toHaveLength(1);
  });

  it('mounts nothing with an already aborted signal', () => {
    const target = document.body.appendChild(document.createElement('div'));
    expect(mountInShadow(target, { feature: 'demo', css: '', signal: AbortSignal.abort() })).toBeUndefined();
    expect(target.children).toHaveLength(0);
  });
});
