import type { ProductEntry, ProductStatus } from '../../shared/api';
import { PRODUCTS } from '../../shared/catalogue';
import { isAllowedDestination } from '../../shared/config';

const BADGES: Record<ProductStatus, string> = {
  active: 'Active',
  linked: 'Linked',
  not_set_up: 'Not set up',
  unavailable: 'Unavailable',
};

export const CONTACT_SUPPORT = 'Contact support to request access';

/** The visible (and accessible) text of a product's action, e.g. "Open Segment", "Set up SendGrid". */
export function actionLabel(product: Pick<ProductEntry, 'name' | 'status'>): string {
  return product.status === 'not_set_up' ? `Set up ${product.name}` : `Open ${product.name}`;
}

interface Props {
  products: ProductEntry[];
  onOpen: (url: string) => void;
}

/** The user's three products with their status and what choosing each does. */
export function ProductList({ products, onOpen }: Props) {
  return (
    <ul class="products">
      {products.map((product) => {
        const url =
          product.status !== 'unavailable' && product.url && isAllowedDestination(product.url) ? product.url : null;
        return (
          <li key={product.id} class="product" data-product={product.id}>
            <div class="product-head">
              <span class="product-name">{product.name}</span>
              <span class={`badge badge-${product.status}`}>{BADGES[product.status]}</span>
            </div>
            <p class="product-blurb">{PRODUCTS[product.id].blurb}</p>
            {url ? (
              <a
                class={product.status === 'not_set_up' ? 'action action-setup' : 'action'}
                href={url}
                onClick={(event) => {
                  // Open in a tab (links in a popup would navigate nowhere useful) and let the popup close.
                  event.preventDefault();
                  onOpen(url);
                }}
              >
                {actionLabel(product)}
              </a>
            ) : (
              <p class="product-note">{product.note ?? CONTACT_SUPPORT}</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
