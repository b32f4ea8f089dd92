/** The product icons and the launcher glyph as DOM, from the shared icon data. Decorative: hidden from AT. */
import type { ProductId } from '../../contract/catalogue';
import { LAUNCHER_DOTS, PRODUCT_ICONS } from '../../contract/product-icons';
import { svgElement } from './dom';

const decorative = { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' };

export function productIcon(product: ProductId, size = 20): SVGElement {
  const { color, glyph } = PRODUCT_ICONS[product];
  return svgElement(
    'svg',
    { ...decorative, class: 'icon', width: size, height: size },
    svgElement('rect', { width: 24, height: 24, rx: 6, fill: color }),
    svgElement('path', {
      d: glyph,
      fill: 'none',
      stroke: '#fff',
      'stroke-width': 1.8,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    }),
  );
}

export function launcherIcon(size = 18): SVGElement {
  return svgElement(
    'svg',
    { ...decorative, class: 'launcher', width: size, height: size },
    ...LAUNCHER_DOTS.map(([cx, cy]) => svgElement('circle', { cx, cy, r: 2.2, fill: 'currentColor' })),
  );
}
