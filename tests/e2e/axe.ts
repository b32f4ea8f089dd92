/**
 * The one accessibility check of the e2e suite: axe-core over a page (or a part of it), in light and dark, failing
 * on any violation with its rule, impact and nodes in the message. `label-content-name-mismatch` (an experimental
 * rule, off by default) is turned on: a control's accessible name must start with its visible text.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface AxeCheck {
  /** CSS selectors of the parts to check (e.g. the switcher's slot); the whole page when absent. */
  include?: string[];
  /** Both schemes unless one is named. */
  schemes?: ('light' | 'dark')[];
}

/** Every violation axe finds on `page`, in light and dark; `[]` when clean. */
export async function axeViolations(page: Page, { include = [], schemes = ['light', 'dark'] }: AxeCheck = {}) {
  const found: string[] = [];
  for (const colorScheme of schemes) {
    await page.emulateMedia({ colorScheme });
    let builder = new AxeBuilder({ page }).options({
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    for (const selector of include) builder = builder.include(selector);
    const { violations } = await builder.analyze();
    for (const violation of violations) {
      const nodes = violation.nodes.map((node) => node.target.join(' ')).join('; ');
      found.push(`[${colorScheme}] ${violation.id} (${violation.impact}): ${violation.help} — ${nodes}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** Fails the test on any axe violation on `page` (light and dark). */
export async function expectAccessible(page: Page, check: AxeCheck = {}): Promise<void> {
  expect(await axeViolations(page, check)).toEqual([]);
}
