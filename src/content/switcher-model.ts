/**
 * The switcher's state as a small model: what the background said (the view), whether the menu is open, and the
 * menu entries derived from both. No DOM here; the rendering and the keyboard behaviour read it.
 */
import type { ProductId } from '../../contract/catalogue';
import type { SwitcherProduct, SwitcherState } from '../../contract/messages';
import { ACCESS_REQUESTED, CONTACT_SUPPORT, workspaceLabel } from '../../contract/workspaces';
import { isAllowedDestination } from '../shared/config';

export const SIGN_IN_HINT = 'Sign in from the toolbar';

/** What the switcher shows: waiting for the background, the background unreachable, or its answer. */
export type View = { status: 'loading' } | { status: 'error' } | SwitcherState;

export interface Entry {
  /** Stable across renders (product id, or product id and workspace id), so focus survives an update. */
  key: string;
  kind: 'product' | 'workspace' | 'hint';
  label: string;
  status: string;
  /** The accessible name. */
  name: string;
  url?: string;
  disabled: boolean;
  current: boolean;
  unavailable: boolean;
}

/** The status text shown under a product in the menu. */
export function statusText(product: SwitcherProduct, current: ProductId): string {
  if (product.id === current) return 'Current';
  switch (product.status) {
    case 'active':
    case 'linked':
      return 'Open';
    case 'not_set_up':
      return 'Set up';
    case 'access_requested':
      return ACCESS_REQUESTED;
    case 'unavailable':
      return CONTACT_SUPPORT; // the same words everywhere, whatever note the server sends
  }
}

const allowed = (url: string | undefined) => (url && isAllowedDestination(url) ? url : undefined);

function productEntries(product: SwitcherProduct, current: ProductId): Entry[] {
  const url = allowed(product.url);
  const unavailable = product.status === 'unavailable' || product.status === 'access_requested';
  const status = statusText(product, current);
  const entry: Entry = {
    key: product.id,
    kind: 'product',
    label: product.name,
    status,
    name: `${product.name}, ${status}`,
    url,
    disabled: unavailable || (!url && product.id !== current),
    current: product.id === current,
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
          name: workspaceLabel(product.id, product.name, workspace),
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
  const hint = (label: string): Entry[] => [
    { key: 'hint', kind: 'hint', label, status: '', name: label, disabled: true, current: false, unavailable: false },
  ];
  switch (view.status) {
    case 'loading':
      return hint('Loading products…');
    case 'error':
      return hint('Products are unavailable right now');
    case 'signed_out':
      return hint(SIGN_IN_HINT);
    case 'signed_in':
      return view.products.flatMap((product) => productEntries(product, current));
  }
}

export interface SwitcherModel {
  /** The product whose page this is. */
  readonly current: ProductId;
  readonly view: View;
  readonly entries: readonly Entry[];
  open: boolean;
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
