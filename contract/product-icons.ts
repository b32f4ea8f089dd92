/**
 * The products' own glyphs (not the real trademarks): a white shape on a tile of the product's colour, as SVG
 * path data on a 24×24 grid, shared by the extension (popup, switcher) and the mock world (set-up pages, favicons).
 */
import type { ProductId } from './catalogue';

export interface ProductIcon {
  /** The tile's colour. */
  color: string;
  /** The glyph, drawn in white with `fill-rule="evenodd"` on the 24×24 tile. */
  path: string;
}

export const PRODUCT_ICONS: Readonly<Record<ProductId, ProductIcon>> = {
  // Four panels: the Console's dashboard.
  console: { color: '#d61f3b', path: 'M6 6h5v5H6zM13 6h5v5h-5zM6 13h5v5H6zM13 13h5v5h-5z' },
  // Three offset bars: data flowing through.
  segment: { color: '#2e7d5b', path: 'M5 6.5h10v2.5H5zM9 10.75h10v2.5H9zM5 15h10v2.5H5z' },
  // An envelope: email delivery.
  sendgrid: { color: '#1a6fd1', path: 'M5 7h14v10H5zM6.5 8.5v.6l5.5 3.9 5.5-3.9v-.6z' },
};

/** The icon as an SVG document or inline element (decorative: hidden from assistive technology). */
export function productIconSvg(id: ProductId, size = 24): string {
  const { color, path } = PRODUCT_ICONS[id];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" aria-hidden="true" focusable="false"><rect width="24" height="24" rx="6" fill="${color}"/><path d="${path}" fill="#fff" fill-rule="evenodd"/></svg>`;
}
