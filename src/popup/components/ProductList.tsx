import type { ProductEntry, ProductStatus } from '../../../contract/api';
import { PRODUCTS } from '../../../contract/catalogue';
import {
  ACCESS_REQUESTED,
  CONTACT_SUPPORT,
  MAX_LISTED_WORKSPACES,
  WORKSPACE_NOUN,
  workspaceLabel,
} from '../../../contract/workspaces';
import { isAllowedDestination } from '../../shared/config';

const BADGES: Record<ProductStatus, string> = {
  active: 'Active',
  linked: 'Linked',
  not_set_up: 'Not set up',
  unavailable: 'Unavailable',
  access_requested: 'Access requested',
};

export { CONTACT_SUPPORT };

/** The visible (and accessible) text of a product's action, e.g. "Open Segment", "Set up SendGrid". */
export function actionLabel(product: Pick<ProductEntry, 'name' | 'status'>): string {
  return product.status === 'not_set_up' ? `Set up ${product.name}` : `Open ${product.name}`;
}

interface Props {
  products: ProductEntry[];
  onOpen: (url: string) => void;
}

/** A link that opens in a tab (links in a popup would navigate nowhere useful) and lets the popup close. */
function OpenLink({ url, onOpen, ...rest }: { url: string; onOpen: (url: string) => void } & Record<string, unknown>) {
  return (
    <a
      {...rest}
      href={url}
      onClick={(event) => {
        event.preventDefault();
        onOpen(url);
      }}
    />
  );
}

/**
 * The user's three products with their status and what choosing each does; under each set-up product, its
 * workspaces (Segment) or accounts (SendGrid), most recently visited first.
 */
export function ProductList({ products, onOpen }: Props) {
  return (
    <ul class="products">
      {products.map((product) => {
        const unavailable = product.status === 'unavailable' || product.status === 'access_requested';
        const url = !unavailable && product.url && isAllowedDestination(product.url) ? product.url : null;
        const setUp = product.status === 'active' || product.status === 'linked';
        const workspaces = setUp
          ? product.workspaces.filter((w) => isAllowedDestination(w.url)).slice(0, MAX_LISTED_WORKSPACES)
          : [];
        return (
          <li key={product.id} class="product" data-product={product.id}>
            <div class="product-head">
              <span class="product-name">{product.name}</span>
              <span class={`badge badge-${product.status}`}>{BADGES[product.status]}</span>
            </div>
            <p class="product-blurb">{PRODUCTS[product.id].blurb}</p>
            {url ? (
              <OpenLink
                class={product.status === 'not_set_up' ? 'action action-setup' : 'action'}
                url={url}
                onOpen={onOpen}
              >
                {actionLabel(product)}
              </OpenLink>
            ) : (
              <p class="product-note">
                {product.status === 'access_requested'
                  ? ACCESS_REQUESTED
                  : unavailable
                    ? CONTACT_SUPPORT
                    : (product.note ?? CONTACT_SUPPORT)}
              </p>
            )}
            {workspaces.length > 0 && (
              <ul class="workspaces" aria-label={`${product.name} ${WORKSPACE_NOUN[product.id]}s`}>
                {workspaces.map((workspace) => (
                  <li key={workspace.id}>
                    <OpenLink
                      class="workspace"
                      url={workspace.url}
                      onOpen={onOpen}
                      aria-label={workspaceLabel(product.id, product.name, workspace)}
                    >
                      <span class="workspace-name">{workspace.name}</span>
                      <span class="workspace-role">{workspace.role}</span>
                    </OpenLink>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
