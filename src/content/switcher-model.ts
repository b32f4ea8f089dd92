/**
 * The switcher's state as a small model: what the background said (the view), whether the menu is open, and the
 * menu entries derived from both. No DOM here; the rendering and the keyboard behaviour read it.
 */
import type { ProductId } from '../../contract/catalogue';
import type { SwitcherProduct, SwitcherState } from '../../contract/messages';
import { ACCESS_REQUESTED, WORKSPACE_NOUN } from '../../contract/workspaces';
import { isAllowedDestination } from '../shared/config';
import { confirmedTime } from '../shared/time';

export { ACCESS_REQUESTED };
export const SIGN_IN_LABEL = 'Sign in with Twilio';
export const REQUEST_ACCESS = 'Request access';
export const EMPTY_TEXT = 'No products to show yet';

export function offlineText(confirmedAt: number): string {
  return `Offline · last confirmed ${confirmedTime(confirmedAt)}`;
}

/** What choosing an entry while offline says instead of navigating to the browser's error page. */
export function offlineChoiceText(label: string): string {
  return `${label} can't be reached while the Twilio login is offline. Try again when you are back online.`;
}

/** What the switcher shows: waiting for the background, the background unreachable, or its answer. */
export type View = { status: 'loading' } | { status: 'error' } | SwitcherState;

export interface Entry {
  /** Stable across renders (product id, or product id and workspace id), so focus survives an update. */
  key: string;
  kind: 'product' | 'workspace' | 'hint' | 'loading' | 'sign-in';
  /** The product whose icon the entry shows. */
  icon?: ProductId;
  label: string;
  /** Visible under or beside the label; empty when there is nothing to add (a set-up product just opens). */
  status: string;
  /**
   * Words only assistive technology hears, after the visible ones (e.g. ", Segment workspace"): the accessible
   * name is the visible text followed by these, so it always starts with what is on screen.
   */
  hidden: string;
  /** What choosing it does. */
  action: 'navigate' | 'sign-in' | 'request-access' | 'none';
  url?: string;
  disabled: boolean;
  current: boolean;
  unavailable: boolean;
}

/** The accessible name of an entry: its visible text, then the words only assistive technology hears. */
export function nameOf(entry: Pick<Entry, 'label' | 'status' | 'hidden'>): string {
  return `${entry.label}${entry.status ? `, ${entry.status}` : ''}${entry.hidden}`;
}

/** The status text shown beside a product in the menu; empty for a set-up product (choosing it opens it). */
export function statusText(product: SwitcherProduct, current: ProductId): string {
  if (product.id === current) return 'Current';
  switch (product.status) {
    case 'active':
    case 'linked':
      return '';
    case 'not_set_up':
      return 'Set up';
    case 'unavailable':
      return REQUEST_ACCESS;
    case 'access_requested':
      return ACCESS_REQUESTED;
  }
}

const allowed = (url: string | undefined) => (url && isAllowedDestination(url) ? url : undefined);

function productEntries(product: SwitcherProduct, current: ProductId): Entry[] {
  const url = allowed(product.url);
  const unavailable = product.status === 'unavailable' || product.status === 'access_requested';
  const isCurrent = product.id === current;
  const action: Entry['action'] =
    product.status === 'unavailable' ? 'request-access' : url && !isCurrent ? 'navigate' : 'none';
  const entry: Entry = {
    key: product.id,
    kind: 'product',
    icon: product.id,
    label: product.name,
    status: statusText(product, current),
    hidden: '',
    action,
    url,
    disabled: product.status === 'access_requested' || (!url && !isCurrent && action !== 'request-access'),
    current: isCurrent,
    unavailable,
  };
  const setUp = product.status === 'active' || product.status === 'linked';
  const workspaces = setUp ? (product.workspaces ?? []) : [];
  return [
    entry,
    // A workspace whose URL is not allowed is left out rather than shown as a dead end.
    ...workspaces.flatMap((workspace): Entry[] => {
      const url = allowed(workspace.url);
      if (!url) return [];
      return [
        {
          key: `${product.id}/${workspace.id}`,
          kind: 'workspace',
          label: workspace.name,
          status: workspace.role,
          hidden: `, ${product.name} ${WORKSPACE_NOUN[product.id]}`,
          action: 'navigate',
          url,
          disabled: false,
          current: false,
          unavailable: false,
        },
      ];
    }),
  ];
}

/** The menu entries for a view, on the page of product `current`. */
export function entriesFor(view: View, current: ProductId): Entry[] {
  const hint = (label: string, kind: Entry['kind'] = 'hint', key = 'hint'): Entry => ({
    key,
    kind,
    label,
    status: '',
    hidden: '',
    action: 'none',
    disabled: true,
    current: false,
    unavailable: false,
  });
  switch (view.status) {
    case 'loading':
      return [hint('Loading products…', 'loading')];
    case 'error':
      return [hint('Products are unavailable right now')];
    case 'signed_out':
      return [{ ...hint(SIGN_IN_LABEL, 'sign-in', 'sign-in'), action: 'sign-in', disabled: false }];
    case 'signed_in': {
      const products = view.products.flatMap((product) => productEntries(product, current));
      if (products.length === 0) return [hint(EMPTY_TEXT)];
      return view.offline ? [hint(offlineText(view.offline.confirmedAt), 'hint', 'offline'), ...products] : products;
    }
  }
}

export interface SwitcherModel {
  /** The product whose page this is. */
  readonly current: ProductId;
  readonly view: View;
  readonly entries: readonly Entry[];
  open: boolean;
  /** A sentence for the person after a choice that could not go anywhere (offline), or an action's outcome. */
  message: string;
  /** Take a new view; `false` when its entries are the same as before (nothing to render). */
  show(view: View): boolean;
}

export function createSwitcherModel(current: ProductId): SwitcherModel {
  let view: View = { status: 'loading' };
  let entries = entriesFor(view, current);
  let key = JSON.stringify(entries);
  return {
    current,
    open: false,
    message: '',
    get view() {
      return view;
    },
    get entries() {
      return entries;
    },
    show(next) {
      view = next;
      const nextEntries = entriesFor(next, current);
      const nextKey = JSON.stringify(nextEntries);
      if (nextKey === key) return false;
      entries = nextEntries;
      key = nextKey;
      return true;
    },
  };
}
