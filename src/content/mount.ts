/**
 * The one helper that puts extension UI into a page: inside a shadow root (page CSS and scripts stay out), on a
 * host element marked with the feature's name so mounting again is a no-op, and removed when `signal` aborts,
 * so features can be re-run safely; `keepMounted` re-runs one when the page replaces what it was mounted into
 * (e.g. on SPA navigation).
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

/**
 * A feature mounts again at most this often: with a page script that removes what a feature mounts as soon as it
 * appears, the two would otherwise take turns at microtask speed and freeze the page.
 */
export const REMOUNT_AT_MOST_EVERY_MS = 250;

/**
 * Keep a feature in the page for as long as `signal` lives. A page that re-renders (SPA navigation, a framework
 * replacing its navigation or its form) takes out the elements a feature mounted into; the feature's timers and
 * listeners would go on for a UI nobody sees, and the new elements would get none. So each run of `start` gets its
 * own signal, aborted as soon as one of the nodes it returned (its host, the field it watches) leaves the document,
 * and `start` runs again whenever the page changes while nothing is mounted. `start` returns `undefined` when there
 * is nothing to mount into yet. A start that mounts only after an answer (asynchronously) returns what it mounts
 * into now and passes its host to `watch` once mounted, so the page removing either one starts it again.
 */
export function keepMounted(
  signal: AbortSignal,
  start: (signal: AbortSignal, watch: (node: Node) => void) => readonly Node[] | undefined,
): void {
  if (signal.aborted) return;
  let run: { stop: AbortController; nodes: readonly Node[] } | undefined;
  let lastMount = Number.NEGATIVE_INFINITY;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function check(): void {
    if (signal.aborted || run?.nodes.every((node) => node.isConnected)) return;
    run?.stop.abort();
    run = undefined;
    const wait = lastMount + REMOUNT_AT_MOST_EVERY_MS - Date.now();
    if (wait > 0) {
      retry ??= setTimeout(() => {
        retry = undefined;
        check();
      }, wait);
      return;
    }
    const stop = new AbortController();
    const watched: Node[] = [];
    const nodes = start(stop.signal, (node) => {
      if (!stop.signal.aborted) watched.push(node);
    });
    if (!nodes) {
      stop.abort();
      return;
    }
    watched.push(...nodes);
    run = { stop, nodes: watched };
    lastMount = Date.now();
  }

  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  check();
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      clearTimeout(retry);
      run?.stop.abort();
      run = undefined;
    },
    { once: true },
  );
}
