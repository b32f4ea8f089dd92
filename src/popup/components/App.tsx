import type { PopupModel } from '../model';
import { SignedIn } from './SignedIn';
import { SignedOut } from './SignedOut';

interface Props {
  model: PopupModel;
  /** Open a product URL in a tab (already checked against the allowed origins). */
  onOpen: (url: string) => void;
  /** Open the options page (which mock world the extension talks to). */
  onSettings?: () => void;
}

/** The popup: a header, then the view for the current status, with loading and error states announced. */
export function App({ model, onOpen, onSettings }: Props) {
  const status = model.status.value;
  const error = model.error.value;
  const busy = model.busy.value;
  const me = model.me.value;

  return (
    <>
      <header class="bar">
        <span class="logo" aria-hidden="true" />
        <h1>Login Switcher</h1>
        {onSettings && (
          <button type="button" class="settings-link" onClick={onSettings}>
            World settings
          </button>
        )}
      </header>
      <main aria-busy={status === 'loading'}>
        {status === 'loading' && (
          <p class="loading" role="status">
            Loading your products…
          </p>
        )}
        {error && (
          <div class="alert" role="alert">
            <p>{error}</p>
            {status === 'error' && (
              <button type="button" class="secondary" onClick={() => void model.load()}>
                Try again
              </button>
            )}
          </div>
        )}
        {status === 'signed_out' && <SignedOut busy={busy === 'signing_in'} onSignIn={() => void model.signIn()} />}
        {status === 'signed_in' && me && (
          <SignedIn
            me={me}
            products={model.products.value}
            refreshing={busy === 'refreshing'}
            signingOut={busy === 'signing_out'}
            onOpen={onOpen}
            onSignOut={() => void model.signOut()}
          />
        )}
      </main>
    </>
  );
}
