import type { Ref } from 'preact';
import type { Me, ProductEntry } from '../../../contract/api';
import type { ProductId } from '../../../contract/catalogue';
import { ProductList } from './ProductList';

interface Props {
  me: Me;
  products: ProductEntry[];
  refreshing: boolean;
  signingOut: boolean;
  requesting: boolean;
  /** The products are the last known ones, confirmed at this time ("09:14"); null when online. */
  offlineSince: string | null;
  /** The products' heading, which takes the focus when a sign-in leads here. */
  headingRef: Ref<HTMLHeadingElement>;
  /** The offline notice's "Try again", which takes the focus back when its answer is still offline. */
  retryRef: Ref<HTMLButtonElement>;
  onOpen: (url: string) => void;
  onSignOut: () => void;
  onSignOutEverywhere: () => void;
  onRequestAccess: (product: ProductId) => void;
  onRetry: () => void;
}

/** Who is signed in, their products, and the two sign-outs. */
export function SignedIn(props: Props) {
  const { me, products, refreshing, signingOut, requesting, offlineSince } = props;
  // One action at a time (the model ignores a second): a request for access and a sign-out exclude each other.
  const acting = signingOut || requesting;
  return (
    <>
      <section class="account" aria-labelledby="account-title">
        <h2 id="account-title" class="visually-hidden">
          Signed in
        </h2>
        <p class="account-name">{me.name}</p>
        <p class="account-email">{me.email}</p>
      </section>
      {offlineSince && (
        <div class="offline" role="status">
          <p>
            <strong>Offline.</strong> These are your products as of {offlineSince}.
          </p>
          <button
            type="button"
            class="secondary small"
            ref={props.retryRef}
            // Keeps the focus while it refreshes (a disabled button loses it); a press meanwhile does nothing.
            onClick={() => refreshing || props.onRetry()}
            aria-disabled={refreshing}
          >
            Try again
          </button>
        </div>
      )}
      <section class="product-section" aria-labelledby="products-title" aria-busy={refreshing}>
        <h2 id="products-title" tabIndex={-1} ref={props.headingRef}>
          Your products
        </h2>
        <ProductList
          products={products}
          onOpen={props.onOpen}
          onRequestAccess={props.onRequestAccess}
          requesting={acting}
        />
      </section>
      <div class="footer">
        <p class="progress" role="status">
          {refreshing ? 'Updating…' : signingOut ? 'Signing out…' : requesting ? 'Requesting access…' : ''}
        </p>
        <div class="sign-outs">
          {/* aria-disabled, not disabled, as "Sign in": a failed sign-out would otherwise leave the focus on the page. */}
          <button
            type="button"
            class="secondary"
            onClick={() => acting || props.onSignOutEverywhere()}
            aria-disabled={acting}
          >
            Sign out of Twilio
          </button>
          <button
            type="button"
            class="link"
            onClick={() => acting || props.onSignOut()}
            aria-disabled={acting}
            aria-describedby="extension-only-help"
          >
            Sign out of this extension only
          </button>
        </div>
        <p id="extension-only-help" class="help">
          "Sign out of Twilio" ends your Twilio session in every product and browser. "This extension only" keeps your
          Twilio session in the browser; the extension stays signed out until you sign in here again.
        </p>
      </div>
    </>
  );
}
