/**
 * Opening the extension's pages in the Firefox that scripts/lib/firefox.ts launches (headless, WebDriver BiDi, the
 * built Firefox extension as a temporary add-on).
 */
import { type Browser, type Page, ProtocolError } from 'puppeteer-core';

/** How long an extension page gets to open, in all. */
const OPEN_TIMEOUT_MS = 30_000;
/** How long one tab gets before it is closed and the page opened in a new one. */
const TAB_TIMEOUT_MS = 6_000;

/**
 * Opens an extension page as a tab. BiDi reports no load event for moz-extension:// documents, so this waits for
 * the document itself instead of the navigation. A check that lands in the blank document as the navigation tears
 * it down fails with a protocol error from Firefox's remote agent ("right-hand side of 'in' should be an object,
 * got null"); the next check usually runs in the page's own document. A tab opened while the add-on is being
 * reloaded can stay in that state (seen in CI-like runs: every check failed for the whole wait), so a tab whose
 * page has not opened in `TAB_TIMEOUT_MS` is closed and the page opened in a new one, until `OPEN_TIMEOUT_MS`.
 */
export async function openExtensionPage(browser: Browser, url: string): Promise<Page> {
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  for (;;) {
    const page = await browser.newPage();
    // Not awaited: the navigation never reports its end here (above); documentOpened is the wait.
    void page.goto(url).catch(() => undefined);
    try {
      await documentOpened(page, url, Math.min(deadline, Date.now() + TAB_TIMEOUT_MS));
      return page;
    } catch (error) {
      await page.close().catch(() => undefined);
      if (Date.now() >= deadline) throw error;
    }
  }
}

/** Waits until `page` shows `url`, fully loaded, by `until`; checks torn down by the navigation are made again. */
async function documentOpened(page: Page, url: string, until: number): Promise<void> {
  for (;;) {
    try {
      await page.waitForFunction(
        (href) => location.href === href && document.readyState === 'complete',
        { timeout: Math.max(1, until - Date.now()) },
        url,
      );
      return;
    } catch (error) {
      const torn = error instanceof Error && error.cause instanceof ProtocolError;
      if (!torn || Date.now() >= until) throw error;
    }
  }
}
