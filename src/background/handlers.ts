/** What each message does, given the background's services. The router has already authorised the sender. */
import type { PopupState, SwitcherState } from '../../contract/messages';
import type { Auth } from './auth';
import type { LookupService } from './lookup';
import type { ProductsService } from './products';
import type { Handlers } from './router';

export function createHandlers({
  auth,
  products,
  lookup,
  changed = () => undefined,
}: {
  auth: Auth;
  products: ProductsService;
  lookup: LookupService;
  /** Tell the open product tabs that their switchers' state changed. */
  changed?: () => void;
}): Handlers {
  async function signIn(): Promise<PopupState> {
    await auth.signIn();
    changed();
    return products.refresh({ force: true });
  }
  return {
    // The popup opened: with a Twilio session in the browser, it opens signed in (no window). Only the popup's
    // questions use up the reason the session ended.
    getState: () => products.getState({ silent: 'always' }),
    signIn,
    async signOut() {
      await auth.signOut({ extensionOnly: true });
      await products.clear();
      changed();
      return { status: 'signed_out' };
    },
    async signOutEverywhere() {
      await products.signOutEverywhere();
      return { status: 'signed_out' };
    },
    refreshProducts: (data) => products.refresh(data),
    getSwitcherState: (data, from) => products.getSwitcherState(from.product, data),
    async startSignIn(_data, from): Promise<SwitcherState> {
      await signIn();
      return products.getSwitcherState(from.product);
    },
    requestAccess: () => products.requestAccess(),
    lookupEmail: (data, from) => lookup.lookupEmail(data, from),
    getContinueAs: () => products.getContinueAs(),
  };
}
