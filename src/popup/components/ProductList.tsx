import type { ProductEntry, ProductStatus } from '../../../contract/api';
import { PRODUCTS, type ProductId } from '../../../contract/catalogue';
import { ACCESS_REQUESTED, MAX_LISTED_WORKSPACES, WORKSPACE_NOUN } from '../../../contract/workspaces';
import { isAllowedDestination } from '../../shared/config';
import { ProductIcon } from './ProductIcon';

const BADGES: Record<ProductStatus, string> = {
  active: 'Active',
  linked: 'Linked',
  not_set_up: 'Not set up',
  unavailable: 'Limited release',
  access_requested: ACCESS_REQUESTED,
};

export const REQUEST_ACCESS = 'Request access';

interface Props {
  products: ProductEntry[];
  onOpen: (url: string) => void;
  /** Asks for access (to every limited-release product); `product` is the row whose button was pressed. */
  onRequestAccess: (product: ProductId) => void;
  requesting: boolean;
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

/** A separator for the accessible name only ("Segment, Customer data platform, Linked"). */
const Comma = () => <span class="visually-hidden">, </span>;

/** Icon, name, what it is, and its status: the row's content, whose text is also its accessible name. */
function ProductRow({ product }: { product: ProductEntry }) {
  return (
    <>
      <ProductIcon product={product.id} />
      <span class="product-text">
        <span class="product-name">{product.name}</span>
        <Comma />
        <span class="product-blurb">{PRODUCTS[product.id].blurb}</span>
      </span>
      <Comma />
      <span class={`badge badge-${product.status}`}>{BADGES[product.status]}</span>
    </>
  );
}

/**
 * The user's products: each row opens the product (or its set-up); under each set-up product, its workspaces
 * (Segment) or accounts (SendGrid), most recently visited first. In the limited release, "Request access".
 */
export function ProductList({ products, onOpen, onRequestAccess, requesting }: Props) {
  if (products.length === 0) return <p class="empty">No products to show yet.</p>;
  return (
    <ul class="products">
      {products.map((product) => {
        const closed = product.status === 'unavailable' || product.status === 'access_requested';
        const url = !closed && product.url && isAllowedDestination(product.url) ? product.url : null;
        const setUp = product.status === 'active' || product.status === 'linked';
        const workspaces = setUp
          ? product.workspaces.filter((w) => isAllowedDestination(w.url)).slice(0, MAX_LISTED_WORKSPACES)
          : [];
        return (
          <li key={product.id} class="product" data-product={product.id}>
            {url ? (
              <OpenLink class="product-row" url={url} onOpen={onOpen}>
                <ProductRow product={product} />
              </OpenLink>
            ) : (
              // Focusable from script only: it takes the focus from "Request access" when that answers.
              <div class="product-row" tabIndex={-1}>
                <ProductRow product={product} />
              </div>
            )}
            {product.status === 'unavailable' && (
              <div class="request">
                <p class="product-note">Unified login is in limited release.</p>
                {/* aria-disabled, not disabled: it keeps the focus while the request is under way. */}
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => requesting || onRequestAccess(product.id)}
                  aria-disabled={requesting}
                >
                  {REQUEST_ACCESS}
                </button>
              </div>
            )}
            {workspaces.length > 0 && (
              <ul class="workspaces" aria-label={`${product.name} ${WORKSPACE_NOUN[product.id]}s`}>
                {workspaces.map((workspace) => (
                  <li key={workspace.id}>
                    <OpenLink class="workspace" url={workspace.url} onOpen={onOpen}>
                      <span class="workspace-name">{workspace.name}</span>
                      <Comma />
                      <span class="workspace-role">{workspace.role}</span>
                      <span class="visually-hidden">{`, ${product.name} ${WORKSPACE_NOUN[product.id]}`}</span>
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
