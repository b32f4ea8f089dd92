/**
 * The one helper that puts extension UI into a page: inside a shadow root (page CSS and scripts stay out), on a
 * host element marked with the feature's name so mounting again is a no-op, and removed when `signal` aborts,
 * so features can be re-run safely (e.g. on SPA navigation).
 */

/** Attribute on every host element this extension inserts; its value names the feature. */
export const MARKER_ATTRIBUTE = 'data-unified-login-switcher';

/**
 * Closed in the shipped build so page scripts cannot reach into the UI; open only in the e2e build so
 * Playwright's locators can (docs/architecture.md, "Extension contexts"). This is the only place that decides it.
 */
export const SHADOW_MODE: ShadowRootMode = import.meta.env.MODE === 'e2e' ? 'open' : 'closed';

export interface Mounted {
  host: HTMLElement;
  root: ShadowRoot;
}

export interface MountOptions {
  /** Feature name: the marker's value and the host's tag (`uls-<feature>`). */
  feature: string;
  /** CSS for inside the shadow root. */
  css: string;
  signal: AbortSignal;
}

/** Mount a shadow host at the end of `target`; `undefined` when already mounted there or already aborted. */
export function mountInShadow(target: Element, { feature, css, signal }: MountOptions): Mounted | undefined {
  if (signal.aborted) return undefined;
  for (const child of target.children) {
    if (child.getAttribute(MARKER_ATTRIBUTE) === feature) return undefined;
  }
  // A custom element name: it can host a shadow root and no page stylesheet targets it by accident.
  const host = document.createElement(`uls-${feature}`);
  host.setAttribute(MARKER_ATTRIBUTE, feature);
  const root = host.attachShadow({ mode: SHADOW_MODE });
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  target.append(host);
  signal.addEventListener('abort', () => host.remove(), { once: true });
  return { host, root };
}
