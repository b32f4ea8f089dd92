/**
 * "Continue as <name>" on Segment's and SendGrid's own login page: when the extension is signed in as a unified
 * user, a box beside the form offers to continue as them through the product's own "continue with Twilio" route,
 * with their email as `login_hint`, so nobody types anything. Nothing happens on its own: the person chooses it.
 *
 * Like the login-redirect notice, the only place it navigates to is that route on the page's own origin, and the
 * box has no inputs: it never takes credentials.
 */
import { type ContinueAsOffer, MESSAGE_PRODUCTS, type SendMessage } from '../../contract/messages';
import { sendMessage } from '../shared/send-message';
import { element } from './dom';
import {
  type ContentFeature,
  appliesTo as featureAppliesTo,
  isProductLoginPage,
  onProducts,
  type PageLocation,
} from './features';
import { continueAsUrl } from './login-redirect';
import { LOGIN_REDIRECT_CSS } from './login-redirect.css';
import { keepMounted, type Mounted, mountInShadow } from './mount';

export const FEATURE = 'continue-as';
export const OFFER_TITLE = 'Signed in to the Login Switcher';

/** The button's text: the person's first name, as they are greeted elsewhere. */
export function continueAsLabel(name: string): string {
  const first = name.trim().split(/\s+/)[0];
  return `Continue as ${first || name}`;
}

export interface ContinueAsDeps {
  send: SendMessage;
  location: PageLocation;
  navigate: (url: string) => void;
}

/** Where it runs: the login page of a product that may ask `getContinueAs` (Segment, SendGrid). */
export const continueAs: ContentFeature = {
  name: FEATURE,
  include: [isProductLoginPage, onProducts(MESSAGE_PRODUCTS.getContinueAs ?? [])],
  init: (signal) => keepContinueAs(signal),
};

function defaultDeps(): ContinueAsDeps {
  return { send: sendMessage, location: window.location, navigate: (url) => window.location.assign(url) };
}

/** The login form the offer goes beside, when this is (still) a page the feature applies to. */
function findLoginForm(deps: ContinueAsDeps): HTMLFormElement | undefined {
  if (!featureAppliesTo(continueAs, deps.location)) return undefined;
  return document.querySelector('form') ?? undefined;
}

/**
 * Keep the offer beside the login form while `signal` lives. A page that re-renders its form (a framework's next
 * step, SPA navigation) takes the box out with the old one: that run stops, and the new form is offered again,
 * asking the background anew (who is signed in may have changed meanwhile).
 */
export function keepContinueAs(signal: AbortSignal, deps: ContinueAsDeps = defaultDeps()): void {
  keepMounted(signal, (run, watch) => {
    const form = findLoginForm(deps);
    if (!form) return undefined;
    void initContinueAs(run, deps, form).then((mounted) => mounted && watch(mounted.host));
    return [form];
  });
}

/**
 * Ask the background who is signed in and, when someone is, mount the offer after the login form. Resolves to
 * the mounted box, or `undefined` when signed out, the page has no login form, or it is already there.
 */
export async function initContinueAs(
  signal: AbortSignal,
  deps: ContinueAsDeps = defaultDeps(),
  form: HTMLFormElement | undefined = findLoginForm(deps),
): Promise<Mounted | undefined> {
  if (!form) return undefined;
  let offer: ContinueAsOffer;
  try {
    offer = await deps.send('getContinueAs', {});
  } catch {
    return undefined; // background unreachable or refused: the page stays as it is
  }
  // Aborted too when the form left the page while the background answered: no box beside it, wherever it went.
  if (!offer || signal.aborted) return undefined;
  const { name, email } = offer;
  const mounted = mountInShadow(form.parentElement ?? form, { feature: FEATURE, css: LOGIN_REDIRECT_CSS, signal });
  if (!mounted) return undefined;

  const title = element('p', { class: 'title', id: 'uls-continue-as-title' }, OFFER_TITLE);
  const address = element('p', { class: 'email', id: 'uls-continue-as-email' }, email);
  const button = element('button', { type: 'button', class: 'primary' }, continueAsLabel(name));
  button.addEventListener(
    'click',
    () => {
      deps.navigate(continueAsUrl(deps.location, email));
    },
    { signal },
  );
  mounted.root.append(
    element(
      'div',
      { class: 'notice', role: 'group', 'aria-labelledby': title.id, 'aria-describedby': address.id },
      title,
      address,
      element('div', { class: 'row' }, button),
    ),
  );
  return mounted;
}
