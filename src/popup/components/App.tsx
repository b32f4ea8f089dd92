import { useEffect, useRef } from 'preact/hooks';
import type { ProductId } from '../../../contract/catalogue';
import { confirmedTime } from '../../shared/time';
import type { PopupModel, Status } from '../model';
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
  const fetchedAt = model.fetchedAt.value;

  // A sign-in or sign-out replaces the view, and with it the button the person used: the focus would fall to the
  // page, so the new view's heading takes it. Nothing else moves the focus (opening the popup, a change elsewhere).
  const heading = useRef<HTMLHeadingElement>(null);
  /** The view the person's sign-in or sign-out started from, until its answer is shown. */
  const actedIn = useRef<Status | null>(null);
  useEffect(() => {
    if (actedIn.current === null || actedIn.current === status) return;
    actedIn.current = null;
    heading.current?.focus();
  }, [status]);
  // "Try again" and "Request access" may be replaced by what they bring (the view, the alert again, "Access
  // requested"); while under way they are only aria-disabled, so they keep the focus. Once the answer is shown, a
  // focus they lost goes to what replaced them. Only a lost focus is given back: the person may have moved on
  // meanwhile (Tab to "World settings").
  const retryButton = useRef<HTMLButtonElement>(null);
  const view = useRef<HTMLElement>(null);
  /** The answer is shown (`settled`), and where the focus goes then. */
  const regain = useRef<{ settled: () => boolean; target: () => HTMLElement | null | undefined } | null>(null);
  useEffect(() => {
    const pending = regain.current;
    if (!pending?.settled()) return;
    regain.current = null;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    pending.target()?.focus();
  });
  const retry = (action: () => Promise<void>) => () => {
    regain.current = {
      settled: () => model.status.peek() !== 'loading' && model.busy.peek() !== 'refreshing',
      target: () => retryButton.current ?? heading.current,
    };
    void action();
  };
  const requestAccess = (product: ProductId) => {
    const row = `[data-product="${product}"]`;
    regain.current = {
      settled: () => model.busy.peek() !== 'requesting_access',
      target: () =>
        view.current?.querySelector<HTMLElement>(`${row} .request button`) ??
        view.current?.querySelector<HTMLElement>(`${row} .product-row`) ??
        // The answer was another view (the session had ended).
        heading.current,
    };
    void model.requestAccess();
  };
  const acting = (action: () => Promise<void>) => () => {
    const from = status;
    actedIn.current = from;
    // The answer left the view as it was (cancelled, failed): nothing moves later either.
    void action().finally(() => {
      if (model.status.value === from) actedIn.current = null;
    });
  };

  return (
    <>
      <header class="bar">
        <span class="logo" aria-hidden="true">
          {[0, 1, 2, 3, 4, 5, 6, 7, 8].map((dot) => (
            <i key={dot} />
          ))}
        </span>
        <h1>Login Switcher</h1>
        {onSettings && (
          <button type="button" class="settings-link" onClick={onSettings}>
            World settings
          </button>
        )}
      </header>
      <main aria-busy={status === 'loading'} ref={view}>
        {status === 'loading' && (
          <div class="loading" role="status">
            <p class="visually-hidden">Loading your products…</p>
            <div class="skeleton" aria-hidden="true">
              <span />
              <span />
              <span />
            </div>
          </div>
        )}
        {error && (
          <div class="alert" role="alert">
            <p>{error}</p>
            {(status === 'error' || model.offline.value) && status !== 'signed_in' && (
              <button type="button" class="secondary" ref={retryButton} onClick={retry(model.load)}>
                Try again
              </button>
            )}
          </div>
        )}
        {status === 'signed_out' && (
          <SignedOut
            busy={busy === 'signing_in'}
            ended={model.ended.value}
            headingRef={heading}
            onSignIn={acting(model.signIn)}
          />
        )}
        {status === 'signed_in' && me && (
          <SignedIn
            me={me}
            products={model.products.value}
            refreshing={busy === 'refreshing'}
            signingOut={busy === 'signing_out'}
            requesting={busy === 'requesting_access'}
            offlineSince={model.offline.value && fetchedAt !== null ? confirmedTime(fetchedAt) : null}
            headingRef={heading}
            onOpen={onOpen}
            onSignOut={acting(model.signOut)}
            onSignOutEverywhere={acting(model.signOutEverywhere)}
            onRequestAccess={requestAccess}
            retryRef={retryButton}
            onRetry={retry(() => model.refresh(true))}
          />
        )}
      </main>
    </>
  );
}
