/** What each message does, given the background's services. The router has already authorised the sender. */
import type { Auth } from './auth';
import type { LookupService } from './lookup';
import type { ProductsService } from './products';
import type { Handlers } from './router';

export function createHandlers({
  auth,
  products,
  lookup,
}: {
  auth: Auth;
  products: ProductsService;
  lookup: LookupService;
}): Handlers {
  return {
    getState: () => products.getState(),
    async signIn() {
      await auth.signIn();
      return products.refresh({ force: true });
    },
    async signOut() {
      await auth.signOut();
      await products.clear();
      return { status: 'signed_out' };
    },
    refreshProducts: (data) => products.refresh(data),
    getSwitcherState: (_data, from) => products.getSwitcherState(from.product),
    lookupEmail: (data, from) => lookup.lookupEmail(data, from),
  };
}
