/**
 * Redirect-on-detected-email (issue 4, docs/architecture.md, "A login redirect"), the page half. On Segment's and SendGrid's own login page,
 * when the email field holds a complete email that signs in with the Twilio login, a notice beside the form offers
 * to continue there (and does so after a short, cancellable countdown, unless the person turned that off on the
 * options page: then it waits for "Continue") through the product's own "continue with Twilio" route, which starts
 * the product's OIDC request with the email as `login_hint`.
 *
 * Page scripts can fake the typing, so what the extension may do here is bounded by construction: the only place it
 * navigates to is `CONTINUE_WITH_TWILIO_PATH` on the page's own origin, built from constants; the email goes only
 * into the query; `next` is kept only when it is a same-origin relative path. The password field is never read or
 * touched, and the notice has no inputs: it never takes credentials.
 */

import { isCompleteEmail } from '../../contract/email';
import { LOOKUP_DEBOUNCE_MS, MESSAGE_PRODUCTS, type SendMessage } from '../../contract/messages';
import { isSafeNextPath } from '../../contract/next-path';
import { continueWithTwilioUrlOn } from '../../contract/product-pages';
import { loadAutoContinue } from '../shared/login-redirect-settings';
import { sendMessage } from '../shared/send-message';
import { element } from './dom';
import {
  type ContentFeature,
  appliesTo as featureAppliesTo,
  isProductLoginPage,
  onProducts,
  type PageLocation,
} from './features';
import { LOGIN_REDIRECT_CSS } from './login-redirect.css';
import { keepMounted, type Mounted, mountInShadow } from './mount';

export type { PageLocation };

export const FEATURE = 'login-redirect';
/** Seconds before continuing on its own. */
export const COUNTDOWN_SECONDS = 3;
export const NOTICE_TITLE = 'This email signs in with your Twilio login';
export const CONTINUE_LABEL = 'Continue';
export const CANCEL_LABEL = 'Cancel';
export const STOPPED_TEXT = 'Stopped. Choose Continue when you are ready.';
export const LEAVING_TEXT = 'Continuing…';
/** Shown instead of the countdown when the person turned off continuing automatically. */
export const WAITING_TEXT = 'Waiting for you to choose Continue.';

export function countdownText(seconds: number): string {
  return `Continuing in ${seconds}…`;
}

export interface LoginRedirectDeps {
  send: SendMessage;
  location: PageLocation;
  /** Navigate the (top) page; this content script runs in the top frame only. */
  navigate: (url: string) => void;
  /**
   * "Continue to the Twilio login automatically", as the options page stored it; asked for each notice. May reject
   * (storage unreadable): the notice then counts down as by default.
   */
  autoContinue: () => Promise<boolean>;
  /**
   * Whether an input event came from the person (the browser's own input, typing or autofill) rather than a page
   * script dispatching a fake one. Only those start a lookup, so a page script cannot make the extension ask about
   * an email nobody typed and read the answer off the notice. Default `event.isTrusted`.
   */
  isUserInput?: (event: Event) => boolean;
}

/** Where the feature runs: the login page of a product that may ask `lookupEmail` (Segment, SendGrid). */
export const loginRedirect: ContentFeature = {
  name: FEATURE,
  include: [isProductLoginPage, onProducts(MESSAGE_PRODUCTS.lookupEmail ?? [])],
  init: (signal) => keepLoginRedirect(signal),
};

export const appliesTo = (page: Pick<PageLocation, 'hostname' | 'pathname'>): boolean =>
  featureAppliesTo(loginRedirect, page);

/**
 * The page's `next`, carried over to the Twilio login: normalised on `origin` (path and query, no fragment) when it
 * passes the contract's one rule for a `next` path, else `/`.
 */
export function pageNextPath(value: string | null, origin: string): string {
  if (!isSafeNextPath(value)) return '/';
  const url = new URL(value, origin);
  return `${url.pathname}${url.search}`;
}

/** The page's own product's "continue with Twilio" route, with `email` as `login_hint` and the page's safe `next`. */
export function continueAsUrl(location: Pick<PageLocation, 'origin' | 'search'>, email: string): string {
  const next = pageNextPath(new URLSearchParams(location.search).get('next'), location.origin);
  return continueWithTwilioUrlOn(location.origin, { loginHint: email, next });
}

/** The login form's email field: `input#email`, else the first email input in a form. */
function findEmailInput(): HTMLInputElement | undefined {
  const byId = document.getElementById('email');
  if (byId instanceof HTMLInputElement) return byId;
  return document.querySelector<HTMLInputElement>('form input[type="email"]') ?? undefined;
}

function defaultDeps(): LoginRedirectDeps {
  return {
    send: sendMessage,
    location: window.location,
    navigate: (url) => window.location.assign(url),
    autoContinue: () => loadAutoContinue(chrome.storage.local),
  };
}

/**
 * Keep watching the login form's email field while `signal` lives. A page that re-renders its form (a framework's
 * next step, SPA navigation) replaces the field or the form the notice is in: the watch on the old ones stops at
 * once, countdown included (it must never continue from a notice the person can no longer see or cancel), and a
 * new one starts on the new field while the page is still its login page.
 */
export function keepLoginRedirect(signal: AbortSignal, deps: LoginRedirectDeps = defaultDeps()): void {
  keepMounted(signal, (run) => {
    const mounted = initLoginRedirect(run, deps);
    return mounted && [mounted.host, mounted.input];
  });
}

/**
 * Watch the login form's email field. Returns the (hidden until needed) mounted notice host and the field it
 * watches, or `undefined` when the page is not a product login page, has no email field, or the feature is already
 * running there.
 */
export function initLoginRedirect(
  signal: AbortSignal,
  deps: LoginRedirectDeps = defaultDeps(),
): (Mounted & { input: HTMLInputElement }) | undefined {
  // The registry has checked the real page; this checks the location the caller passed in (tests pass their own).
  if (!appliesTo(deps.location)) return undefined;
  const input = findEmailInput();
  const target = input?.form ?? input?.parentElement;
  if (!input || !target) return undefined;
  // Mounted at the end of the form: when the notice appears, nothing the user is typing into moves.
  const mounted = mountInShadow(target, { feature: FEATURE, css: LOGIN_REDIRECT_CSS, signal });
  if (!mounted) return undefined;
  const { host, root } = mounted;
  host.hidden = true;

  let debounce: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  /** The email the current notice is for. */
  let shownFor: string | undefined;
  /** The last email whose answer is reflected on the page (asked about, or being asked about). */
  let lastChecked: string | undefined;
  /** Increments per lookup, so only the newest answer counts. */
  let sequence = 0;
  /** What Cancel and Escape do while the notice waits or counts down; unset once neither has anything to stop. */
  let cancel: (() => void) | undefined;

  const typed = () => input.value.trim();
  /** Whether the field is still in the page (a page that re-renders its form replaces it). */
  const inPage = () => input.isConnected;
  /** Where the focus goes back to when the notice it was in goes away. */
  const focusField = () => input.focus();

  /** Ends the countdown, if any; from then on (continuing, stopped or gone) Escape has nothing to do. */
  function stopCountdown(): void {
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    cancel = undefined;
  }

  function removeNotice(): void {
    stopCountdown();
    shownFor = undefined;
    root.querySelector('.notice')?.remove();
    host.hidden = true;
  }

  function go(): void {
    stopCountdown();
    const email = shownFor;
    // The field changed or left the page under the notice, or the page is no longer its login page (every such
    // change removes the notice, so this is belt and braces): do nothing.
    if (email === undefined || !inPage() || typed() !== email || !appliesTo(deps.location)) {
      removeNotice();
      return;
    }
    deps.navigate(continueAsUrl(deps.location, email));
  }

  function showNotice(email: string, autoContinue: boolean): void {
    removeNotice();
    shownFor = email;
    const title = element('p', { class: 'title', id: 'uls-login-redirect-title' }, NOTICE_TITLE);
    const address = element('p', { class: 'email', id: 'uls-login-redirect-email' }, email);
    const status = element('p', { class: 'countdown', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const continueButton = element('button', { type: 'button', class: 'primary' }, CONTINUE_LABEL);
    const cancelButton = element('button', { type: 'button', 'aria-keyshortcuts': 'Escape' }, CANCEL_LABEL);
    const notice = element(
      'div',
      {
        class: 'notice',
        role: 'group',
        'aria-labelledby': title.id,
        'aria-describedby': address.id,
      },
      title,
      address,
      element('div', { class: 'row' }, status, continueButton, cancelButton),
    );

    continueButton.addEventListener('click', () => {
      status.textContent = LEAVING_TEXT;
      go();
    });
    const stop = () => {
      stopCountdown();
      status.textContent = STOPPED_TEXT;
      const hadFocus = root.activeElement === cancelButton;
      cancelButton.hidden = true;
      if (hadFocus) continueButton.focus();
    };
    // Nothing runs out: Cancel dismisses the notice, and the focus goes back to the email field it was for.
    const dismiss = () => {
      const hadFocus = root.activeElement !== null;
      removeNotice();
      if (hadFocus) focusField();
    };
    cancel = autoContinue ? stop : dismiss;
    cancelButton.addEventListener('click', cancel);

    if (autoContinue) {
      let remaining = COUNTDOWN_SECONDS;
      status.textContent = countdownText(remaining);
      ticker = setInterval(() => {
        remaining -= 1;
        if (remaining > 0) {
          status.textContent = countdownText(remaining);
          return;
        }
        status.textContent = LEAVING_TEXT;
        go();
      }, 1000);
    } else {
      status.textContent = WAITING_TEXT;
    }

    root.append(notice);
    host.hidden = false;
  }

  async function check(): Promise<void> {
    const email = typed();
    if (email === shownFor || email === lastChecked) return;
    lastChecked = email;
    if (!isCompleteEmail(email)) return;
    const mine = ++sequence;
    const current = () => mine === sequence && !signal.aborted && typed() === email;
    let unified = false;
    try {
      unified = (await deps.send('lookupEmail', { email })).unified === true;
    } catch {
      unified = false; // background unreachable or refused: nothing happens
    }
    if (!unified || !current()) return;
    let autoContinue: boolean;
    try {
      // Read for each notice, so a change on the options page applies to pages already open.
      autoContinue = await deps.autoContinue();
    } catch {
      autoContinue = true; // storage unreadable: the default, and the notice still shows
    }
    if (current()) showNotice(email, autoContinue);
  }

  const isUserInput = deps.isUserInput ?? ((event: Event) => event.isTrusted);

  function onInput(event: Event): void {
    if (isUserInput(event)) valueChanged();
  }

  function valueChanged(): void {
    // Any change away from the email the notice is for removes it at once (no countdown on a stale email).
    if (shownFor !== undefined && typed() !== shownFor) {
      removeNotice();
      lastChecked = undefined;
    }
    if (typed() !== lastChecked) {
      // A new value: an answer still in flight is for an older one, and this one is to be asked about.
      sequence += 1;
      lastChecked = undefined;
    }
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), LOOKUP_DEBOUNCE_MS);
  }

  input.addEventListener('input', onInput, { signal });
  input.addEventListener('change', onInput, { signal });
  // Escape anywhere in the form (the notice included: its key events reach the host) does what Cancel does.
  target.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && cancel) {
        cancel();
        event.preventDefault();
      }
    },
    { signal },
  );
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(debounce);
      stopCountdown();
    },
    { once: true },
  );

  // The page may have rendered the email into the field (e.g. after "Enter your password"): that value is the
  // page's own markup, not something a script typed, so it is asked about once, like typing.
  if (input.value && input.value === input.defaultValue) valueChanged();
  return { ...mounted, input };
}
