import type { Me, ProductEntry } from '../../../contract/api';
import { ProductList } from './ProductList';

interface Props {
  me: Me;
  products: ProductEntry[];
  refreshing: boolean;
  signingOut: boolean;
  onOpen: (url: string) => void;
  onSignOut: () => void;
}

/** Who is signed in, their products, and sign-out. */
export function SignedIn({ me, products, refreshing, signingOut, onOpen, onSignOut }: Props) {
  return (
    <>
      <section class="account" aria-labelledby="account-title">
        <h2 id="account-title" class="visually-hidden">
          Signed in
        </h2>
        <p class="account-name">{me.name}</p>
        <p class="account-email">{me.email}</p>
      </section>
      <section class="product-section" aria-labelledby="products-title" aria-busy={refreshing}>
        <h2 id="products-title">Your products</h2>
        <ProductList products={products} onOpen={onOpen} />
      </section>
      <div class="footer">
        <p class="progress" role="status">
          {refreshing ? 'Updating…' : ''}
        </p>
        <button type="button" class="secondary" onClick={onSignOut} disabled={signingOut}>
          Sign out
        </button>
      </div>
    </>
  );
}
