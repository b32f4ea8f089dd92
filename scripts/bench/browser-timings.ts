/**
 * Timings a person feels, measured in Chromium with the built extension: when the switcher is mounted relative to
 * DOMContentLoaded (and whether anything shifted), and when the popup first shows the signed-in view.
 * Observers are added to the page's own world before any page script; the extension's code is not instrumented.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { fillTwilioLogin, openPopup, signInFromPopup } from '../lib/journeys';

declare global {
  interface Window {
    __bench?: { mounted?: number; shift: number; rendered?: number };
  }
}

/** Runs in the page before its scripts: records the switcher's insertion and layout shifts. */
function observeSwitcher(): void {
  const bench = { shift: 0 } as { mounted?: number; shift: number };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!entry.hadRecentInput) bench.shift += entry.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver((_records, observer) => {
    if (document.querySelector('[data-unified-login-switcher="switcher"]')) {
      bench.mounted = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Runs in the popup before its scripts: records when the signed-in view (the account's email) first renders. */
function observePopup(): void {
  const bench = { shift: 0 } as { rendered?: number; shift: number };
  window.__bench = bench;
  new MutationObserver((_records, observer) => {
    if (document.querySelector('.account-email')) {
      bench.rendered = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function measureSwitcher(context: BrowserContext, consoleUrl: string, email: string, loads = 20) {
  const page = await context.newPage();
  await page.addInitScript(observeSwitcher);
  await page.goto(consoleUrl);
  if (new URL(page.url()).host.startsWith('login.')) await fillTwilioLogin(page, email);
  await page.waitForURL(`${consoleUrl}**`);
  const afterDcl: number[] = [];
  const shifts: number[] = [];
  for (let i = 0; i < loads; i += 1) {
    await page.goto(consoleUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__bench?.mounted !== undefined);
    // Let the switcher fill in its products, then read the shifts it may have caused.
    await page.waitForTimeout(300);
    const sample = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { mounted: window.__bench!.mounted!, dcl: nav.domContentLoadedEventStart, shift: window.__bench!.shift };
    });
    afterDcl.push(sample.mounted - sample.dcl);
    shifts.push(sample.shift);
  }
  await page.close();
  return {
    loads,
    mountedAfterDomContentLoadedMs: { p50: round(percentile(afterDcl, 50)), p95: round(percentile(afterDcl, 95)) },
    cumulativeLayoutShiftMax: round(Math.max(...shifts)),
  };
}

/**
 * Runs in its own empty extension page before anything else: how long reading the saved world port takes there.
 * Not on the blank page: the API call would lengthen the baseline that the popup's first render is compared with.
 */
function observePortRead(): void {
  if (!location.pathname.endsWith('/bench-port.html')) return;
  const bench = { shift: 0 } as { portRead?: number; shift: number };
  window.__bench = bench as never;
  const started = performance.now();
  void chrome.storage.local.get('worldPort').then(() => {
    bench.portRead = performance.now() - started;
  });
}

const popupPath = '/src/popup/index.html';
const blankPath = '/bench-blank.html';
/** An empty extension page that loads one empty script: the floor of any page with code. */
const scriptPath = '/bench-script.html';
/** The same with the popup's `expect` link: no frame is painted while the script loads. */
const blockedScriptPath = '/bench-script-blocked.html';
/** An empty extension page where the port read is timed. */
const portPath = '/bench-port.html';

/** The pages `measurePopup` compares with the popup; the bench writes them into its own builds. */
export const BENCH_PAGES: Record<string, string> = {
  'bench-blank.html': '<!doctype html><title>blank</title>',
  'bench-script.html': '<!doctype html><title>script</title><body><script src="bench-empty.js"></script>',
  'bench-empty.js': '',
  'bench-script-blocked.html':
    '<!doctype html><title>script</title><link rel="expect" href="#done" blocking="render">' +
    '<body><script src="bench-empty.js"></script><template id="done"></template>',
  'bench-port.html': '<!doctype html><title>port</title>',
};

const domContentLoaded = () =>
  (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventStart;

/**
 * The popup's first render from its snapshot, against an empty page of the same extension (what Chromium needs
 * before any popup code can run) and an empty page with one empty script (the floor of a page with code; also with
 * the popup's render-blocking `expect` link), loaded in turn so that a busy machine slows them all alike. Also how
 * long reading the saved world port takes at the start of a page (its own page, so that the blank one makes no API
 * call): what the first render would wait for if it blocked on it (it does not).
 */
export async function measurePopup(context: BrowserContext, extensionOrigin: string, email: string, loads = 20) {
  const first: Page = await openPopup(context, extensionOrigin);
  await signInFromPopup(context, first, email);
  await first.locator('.account-email').waitFor();
  await first.close();
  const times: number[] = [];
  const blank: number[] = [];
  const script: number[] = [];
  const blockedScript: number[] = [];
  const portReads: number[] = [];
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 560 });
  await page.addInitScript(observePopup);
  await page.addInitScript(observePortRead);
  for (let i = 0; i < loads; i += 1) {
    await page.goto(`${extensionOrigin}${popupPath}`);
    await page.waitForFunction(() => window.__bench?.rendered !== undefined);
    times.push(await page.evaluate(() => window.__bench!.rendered!));
    await page.goto(`${extensionOrigin}${blankPath}`);
    blank.push(await page.evaluate(domContentLoaded));
    await page.goto(`${extensionOrigin}${portPath}`);
    await page.waitForFunction(() => (window.__bench as { portRead?: number } | undefined)?.portRead !== undefined);
    portReads.push(await page.evaluate(() => (window.__bench as unknown as { portRead: number }).portRead));
    await page.goto(`${extensionOrigin}${scriptPath}`);
    script.push(await page.evaluate(domContentLoaded));
    await page.goto(`${extensionOrigin}${blockedScriptPath}`);
    blockedScript.push(await page.evaluate(domContentLoaded));
  }
  await page.close();
  const p50 = percentile(times, 50);
  const blankP50 = percentile(blank, 50);
  return {
    loads,
    firstRenderFromCacheMs: { p50: round(p50), p95: round(percentile(times, 95)) },
    baselineEmptyExtensionPageDomContentLoadedMs: { p50: round(blankP50) },
    overBaselineMs: { p50: round(p50 - blankP50) },
    emptyScriptPageOverBaselineMs: { p50: round(percentile(script, 50) - blankP50) },
    emptyScriptRenderBlockedPageOverBaselineMs: { p50: round(percentile(blockedScript, 50) - blankP50) },
    worldPortReadMs: {
      p50: round(percentile(portReads, 50)),
      p95: round(percentile(portReads, 95)),
      note: 'storage.local read of the saved port at page start; the popup no longer waits for it before its first render',
    },
  };
}

/**
 * Popup opened with a Twilio web session in the browser and the extension signed out (its tokens gone, no snapshot
 * to paint): until the signed-in view shows, after a silent sign-in (prompt=none, no window). Baseline of the same
 * run, loaded in turn: the popup opened already signed in, also without a snapshot, i.e. the same path without the
 * sign-in.
 */
export async function measureSilentSignIn(
  context: BrowserContext,
  extensionOrigin: string,
  consoleUrl: string,
  email: string,
  loads = 10,
) {
  const web = await context.newPage();
  await web.goto(consoleUrl);
  if (new URL(web.url()).host.startsWith('login.')) await fillTwilioLogin(web, email);
  await web.waitForURL(`${consoleUrl}**`);
  await web.close();
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 560 });
  await page.addInitScript(observePopup);
  /** On an extension page: forget the snapshot and, when `signOut`, the extension's tokens (not a sign-out of choice). */
  const reset = async (signOut: boolean) => {
    await page.goto(`${extensionOrigin}${blankPath}`);
    await page.evaluate(async (tokens) => {
      localStorage.clear();
      if (tokens) await chrome.storage.session.clear();
    }, signOut);
  };
  const open = async () => {
    await page.goto(`${extensionOrigin}${popupPath}`);
    await page.waitForFunction(() => window.__bench?.rendered !== undefined, undefined, { timeout: 10_000 });
    return page.evaluate(() => window.__bench!.rendered!);
  };
  const silent: number[] = [];
  const signedIn: number[] = [];
  for (let i = 0; i < loads; i += 1) {
    await reset(true);
    silent.push(await open());
    await reset(false);
    signedIn.push(await open());
  }
  await page.close();
  const p50 = percentile(silent, 50);
  const baseline = percentile(signedIn, 50);
  return {
    loads,
    silentSignInToSignedInViewMs: { p50: round(p50), p95: round(percentile(silent, 95)) },
    baselineAlreadySignedInNoSnapshotMs: { p50: round(baseline) },
    silentSignInCostMs: { p50: round(p50 - baseline) },
  };
}

/**
 * From a click on a linked product in the Console's switcher to that product's home loaded, with the product's own
 * session cleared first so every switch takes the full OIDC round trip on the Twilio session. Counts the HTTP
 * redirects of the navigation.
 */
export async function measureSwitch(
  context: BrowserContext,
  consoleUrl: string,
  product: { name: RegExp; host: string; homePath: string },
  loads = 20,
) {
  const page = await context.newPage();
  const times: number[] = [];
  const redirects: number[] = [];
  for (let i = 0; i < loads; i += 1) {
    await context.clearCookies({ domain: product.host });
    await page.goto(consoleUrl);
    const button = page.locator('#product-switcher-slot').getByRole('button', { name: /Switch product/ });
    await button.click();
    const item = page.locator('#product-switcher-slot').getByRole('menuitem', { name: product.name }).first();
    await item.waitFor();
    const started = performance.now();
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => new URL(r.url()).host === product.host && new URL(r.url()).pathname.startsWith(product.homePath),
      ),
      item.click(),
    ]);
    await page.waitForLoadState('load');
    times.push(performance.now() - started);
    let hops = 0;
    for (let request = response.request().redirectedFrom(); request; request = request.redirectedFrom()) hops += 1;
    redirects.push(hops);
  }
  await page.close();
  return {
    loads,
    clickToHomeLoadedMs: { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) },
    redirects: percentile(redirects, 50),
  };
}

/** Runs in a product login page before its scripts: records the last input and when the notice host is shown. */
function observeNotice(): void {
  const bench = { shift: 0 } as { lastInput?: number; shown?: number; shift: number };
  window.__bench = bench as never;
  document.addEventListener('input', () => (bench.lastInput = performance.now()), true);
  new MutationObserver(() => {
    const host = document.querySelector('[data-unified-login-switcher="login-redirect"]');
    if (host && !host.hasAttribute('hidden') && bench.shown === undefined) bench.shown = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
}

/**
 * Time from the debounce firing (last keystroke + `debounceMs`) to the login-redirect notice shown, typing a unified
 * email on a product's login page. The first load asks the server; later ones hit the extension's short cache.
 */
export async function measureNotice(
  context: BrowserContext,
  loginUrl: string,
  email: string,
  debounceMs: number,
  loads = 20,
) {
  const page = await context.newPage();
  await page.addInitScript(observeNotice);
  const times: number[] = [];
  for (let i = 0; i < loads; i += 1) {
    await page.goto(loginUrl);
    await page.locator('#email').fill(email);
    await page.waitForFunction(() => (window.__bench as { shown?: number } | undefined)?.shown !== undefined);
    times.push(
      await page.evaluate((debounce) => {
        const bench = window.__bench as unknown as { lastInput: number; shown: number };
        return bench.shown - (bench.lastInput + debounce);
      }, debounceMs),
    );
  }
  await page.close();
  return {
    loads,
    firstLoadUncachedMs: round(times[0]!),
    afterDebounceMs: { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) },
  };
}
