/**
 * The products' icons: our own glyphs (not the real trademarks) on a rounded tile in each product's colour,
 * written once as data so the popup (Preact), the in-page switcher (DOM) and the server's pages (HTML strings)
 * draw the same thing. 24 × 24 view box; the glyph is a white stroke.
 */
import type { ProductId } from './catalogue';

export interface ProductIcon {
  /** Tile colour; white glyphs on it meet 3:1 contrast for graphics. */
  color: string;
  /** Stroke path data of the glyph. */
  glyph: string;
}

export const PRODUCT_ICONS: Readonly<Record<ProductId, ProductIcon>> = {
  // A prompt and cursor: the Console.
  console: { color: '#d61f3a', glyph: 'M7 8.5l3.5 3.5L7 15.5M12.5 15.5H17' },
  // Two offset streams: customer data flowing.
  segment: { color: '#1f8a5b', glyph: 'M6 9h8.5M9.5 15H18M17 9h1M6 15h1' },
  // An envelope: email delivery.
  sendgrid: { color: '#1565c0', glyph: 'M6 8h12v8H6zM6 8.5l6 4.5 6-4.5' },
};

/** The launcher (grid of nine) glyph of the switcher's trigger, as centres of its dots. */
export const LAUNCHER_DOTS: readonly (readonly [number, number])[] = [6, 12, 18].flatMap((y) =>
  [6, 12, 18].map((x) => [x, y] as const),
);

/** The icon as an SVG string, for server-rendered pages; decorative (`aria-hidden`). */
export function productIconSvg(product: ProductId, size = 24): string {
  const { color, glyph } = PRODUCT_ICONS[product];
  return (
    `<svg class="product-icon" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">` +
    `<rect width="24" height="24" rx="6" fill="${color}"/>` +
    `<path d="${glyph}" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`
  );
}
