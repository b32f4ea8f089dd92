import type { ProductId } from '../../../contract/catalogue';
import { PRODUCT_ICONS } from '../../../contract/product-icons';

/** A product's icon (decorative: the product's name is always written beside it). */
export function ProductIcon({ product, size = 28 }: { product: ProductId; size?: number }) {
  const { color, glyph } = PRODUCT_ICONS[product];
  return (
    <svg class="product-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill={color} />
      <path d={glyph} fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
