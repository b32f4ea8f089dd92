/**
 * Opening the extension's pages in the Firefox that scripts/lib/firefox.ts launches (headless, WebDriver BiDi, the
 * built Firefox extension as a temporary add-on).
 */
import { type Browser, type Page, ProtocolError } from 'puppeteer-core';

/** How long an extension page gets to open. */
const OPEN_TIMEOUT_MS = 30_000;

/**
 * Opens an extension page as a tab. BiDi reports no load event for moz-extension:// documents, so this waits for
 * the document itself instead of the navigation. A check that lands in the blank document as the navigation tears
 * it down fails with a protocol error from Firefox's remote agent (seen once in CI-like runs: "right-hand side of
 * 'in' should be an object, got null"); the next check runs in the page's own document, so the wait goes on.
 */
export async function openExtensionPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const navigation = page.goto(url).catch(() => undefined);
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  for (;;) {
    try {
      await page.waitForFunction(
        (href) => location.href === href && document.readyState === 'complete',
        {
          timeout: Math.max(1, deadline - Date.now()),
        },
        url,
      );
      break;
    } catch (error) {
      const torn = error instanceof Error && error.cause instanceof ProtocolError;
      if (!torn || Date.now() >= deadline) throw error;
    }
  }
  void navigation;
  return page;
}
