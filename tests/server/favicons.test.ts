import { describe, expect, it } from 'vitest';
import { PRODUCT_ICONS } from '../../contract/product-icons';
import { localhostFetch } from '../../mock-server/net';
import { CLEO, openSetup } from './products';
import { worldForFile } from './world';

const world = await worldForFile();

describe('favicons', () => {
  it('are served on all four hosts, as the product glyph in its colour', async () => {
    const expected = [
      [world.urls.login, PRODUCT_ICONS.console.color],
      [world.urls.console, PRODUCT_ICONS.console.color],
      [world.urls.segment, PRODUCT_ICONS.segment.color],
      [world.urls.sendgrid, PRODUCT_ICONS.sendgrid.color],
    ] as const;
    for (const [origin, color] of expected) {
      for (const path of ['/favicon.ico', '/favicon.svg']) {
        const response = await localhostFetch(`${origin}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/svg+xml');
        const svg = await response.text();
        expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*viewBox="0 0 24 24"/);
        expect(svg).toContain(`fill="${color}"`);
      }
    }
  });

  it('are linked from every page', async () => {
    const page = await (await localhostFetch(`${world.urls.segment}/login`)).text();
    expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });
});

describe('product icons', () => {
  it("head the set-up pages, in the product's colour, hidden from assistive technology", async () => {
    const { html: segmentPage } = await openSetup(world, 'segment', CLEO);
    expect(segmentPage).toMatch(
      new RegExp(
        `<h1 class="with-icon"><svg [^>]*aria-hidden="true"[^>]*><rect [^>]*fill="${PRODUCT_ICONS.segment.color}"`,
      ),
    );
    expect(segmentPage).toContain('</svg>Set up Segment</h1>');
  });
});
