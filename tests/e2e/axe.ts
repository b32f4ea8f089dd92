/**
 * axe-core over a page as it is now, in light and in dark (emulated `prefers-color-scheme`). Shared by every e2e
 * test that checks accessibility: a test fails on any violation, listed by rule and the elements it found.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export type ColorScheme = 'light' | 'dark';

/** The violations on `page` in one colour scheme, as "rule: selector, selector" lines (empty when clean). */
export async function axeViolations(page: Page, scheme: ColorScheme, include?: string): Promise<string[]> {
  await page.emulateMedia({ colorScheme: scheme });
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map(
    (violation) => `${violation.id} (${scheme}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** The violations on `page` in light and in dark, labelled with `what` (e.g. "the set-up page"). */
export async function axeInBothSchemes(page: Page, what: string, include?: string): Promise<string[]> {
  const found = [...(await axeViolations(page, 'light', include)), ...(await axeViolations(page, 'dark', include))];
  await page.emulateMedia({ colorScheme: null });
  return found.map((line) => `${what}: ${line}`);
}
