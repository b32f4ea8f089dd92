/**
 * The one message contract between the popup, the content scripts and the background service worker.
 *
 * `ProtocolMap` is the whole contract: each method is a message type, its parameter the request payload and its
 * return type the reply data. Every side derives its types from it; `payloadSchemas` validates every payload in
 * the background before a handler runs; `MESSAGE_ACCESS` splits the messages into privileged ones (extension
 * pages only) and unprivileged ones (content scripts on product origins may send them too).
 */
import type { AccessRequestResponse, Me, ProductEntry, ProductStatus, SessionEndReason } from './api';
import { type ProductId, SETUP_PRODUCT_IDS } from './catalogue';
import { ExtensionError, isErrorCode, type WireError } from './errors';

/** What the popup shows: the signed-in user and their products, from cache or fresh. */
export type PopupState =
  | {
      status: 'signed_out';
      /** Why the Twilio session ended, when it ended on its own (not by this extension's own sign-out). */
      ended?: SessionEndReason;
    }
  | {
      status: 'signed_in';
      me: Me;
      products: ProductEntry[];
      /** Epoch ms when `products` was fetched from the API (last confirmed). */
      fetchedAt: number;
      /** The Twilio login could not be reached on the last try: `products` are the last known ones. */
      offline?: boolean;
    };

/** A workspace (Segment) or account (SendGrid) of a set-up product, as the switcher lists it. */
export interface SwitcherWorkspace {
  id: string;
  name: string;
  /** The user's role there, e.g. "Member". */
  role: string;
  /** Where choosing it leads: the product's `/login/twilio?next=…` route. */
  url: string;
}

/** The slice of a product a page's switcher needs: nothing about the user (no name, no email) and no tokens. */
export interface SwitcherProduct {
  id: ProductId;
  name: string;
  status: ProductStatus;
  url?: string;
  /** Only for set-up products (`active`, `linked`), most recently visited first; absent or empty otherwise. */
  workspaces?: SwitcherWorkspace[];
}

/** What a page's switcher shows. */
export type SwitcherState =
  | { status: 'signed_out' }
  | {
      status: 'signed_in';
      products: SwitcherProduct[];
      /** The Twilio login could not be reached: the products are the last known ones, confirmed at `confirmedAt`. */
      offline?: { confirmedAt: number };
    };

/** Request payload of `getSwitcherState`. */
export interface SwitcherStateRequest {
  /** Ask the API again (throttled) rather than answer from a fresh cache: the person just opened the menu. */
  recheck?: boolean;
}

/**
 * The one notice the background sends to the content scripts of open product tabs (`tabs.sendMessage`): the
 * switcher's state changed (sign-in, sign-out, session ended, products changed). It carries nothing: each
 * switcher asks `getSwitcherState` again, so a tab learns only what it may.
 */
export const SWITCHER_CHANGED = 'switcherStateChanged';
export interface SwitcherChangedNotice {
  type: typeof SWITCHER_CHANGED;
}

/** Request payload of `lookupEmail`: the email typed on a Segment or SendGrid login page. */
export interface LookupEmailRequest {
  email: string;
}

/** Reply of `lookupEmail`: whether that email signs in with the Twilio login on the asking page's product. */
export interface LookupEmailResult {
  unified: boolean;
}

/**
 * Reply of `getContinueAs`: who the extension is signed in as, for the "Continue as <name>" offer on a Segment or
 * SendGrid login page; `null` when signed out. The one reply that gives a content script the user's name and email
 * (never tokens): the offer shows whom it continues as and sends the email as the login hint. Only those two
 * products' pages may ask (`MESSAGE_PRODUCTS`), and the offer renders them in a closed shadow root.
 */
export type ContinueAsOffer = { name: string; email: string } | null;

/** How long the login-redirect notice waits after the last keystroke before asking `lookupEmail`. */
export const LOOKUP_DEBOUNCE_MS = 400;

/** Request payload of `refreshProducts`. */
export interface RefreshRequest {
  /** Fetch from the API even when the cache is fresh. */
  force?: boolean;
}

type Empty = Record<string, never>;

export interface ProtocolMap {
  /** The popup's state, answered at once from memory or IndexedDB (may be slightly stale). */
  getState(data: Empty): PopupState;
  /** Run the OIDC sign-in (authorization code + PKCE in a browser window) and return the new state. */
  signIn(data: Empty): PopupState;
  /**
   * Sign out of this extension only: revoke its tokens (best effort), clear every local trace of the session and
   * return the signed-out state. The Twilio web session stays, and the extension does not sign in silently again
   * until the person chooses "Sign in".
   */
  signOut(data: Empty): PopupState;
  /** Sign out of Twilio everywhere (the web sessions of every product and browser), then of the extension. */
  signOutEverywhere(data: Empty): PopupState;
  /** Fetch `me` and products from the API (unless fresh and not forced) and return the new state. */
  refreshProducts(data: RefreshRequest): PopupState;
  /**
   * The products for a page's switcher, from cache; refreshes in the background when stale. Signed out with a
   * Twilio web session in the browser: signs in silently first (no window).
   */
  getSwitcherState(data: SwitcherStateRequest): SwitcherState;
  /** The switcher's "Sign in with Twilio": the same background sign-in as the popup's; returns the new state. */
  startSignIn(data: Empty): SwitcherState;
  /** Ask support for unified login (limited release), from the popup or a switcher; idempotent. */
  requestAccess(data: Empty): AccessRequestResponse;
  /**
   * Redirect-on-detected-email (issue 4): is this email unified on the sending page's product? The product is
   * the sender's (from its origin), never part of the payload; only Segment and SendGrid pages may ask.
   */
  lookupEmail(data: LookupEmailRequest): LookupEmailResult;
  /** The "Continue as <name>" offer on a Segment or SendGrid login page: the signed-in user, or `null`. */
  getContinueAs(data: Empty): ContinueAsOffer;
}

export type MessageType = keyof ProtocolMap;
export type RequestOf<K extends MessageType> = Parameters<ProtocolMap[K]>[0];
export type ResponseOf<K extends MessageType> = ReturnType<ProtocolMap[K]>;

/** Who may send a message: `extension` = extension pages only; `content` = also content scripts on product origins. */
export type Access = 'extension' | 'content';

export const MESSAGE_ACCESS = {
  getState: 'extension',
  signIn: 'extension',
  signOut: 'extension',
  signOutEverywhere: 'extension',
  refreshProducts: 'extension',
  getSwitcherState: 'content',
  startSignIn: 'content',
  requestAccess: 'content',
  lookupEmail: 'content',
  getContinueAs: 'content',
} as const satisfies Record<MessageType, Access>;

export type PrivilegedMessageType = {
  [K in MessageType]: (typeof MESSAGE_ACCESS)[K] extends 'extension' ? K : never;
}[MessageType];
export type UnprivilegedMessageType = Exclude<MessageType, PrivilegedMessageType>;

/**
 * Unprivileged messages that only the content scripts of some products may send (extension pages may not either);
 * the router checks the sender's product, derived from its origin. Absent: any product page may send it.
 */
export const MESSAGE_PRODUCTS: { readonly [K in UnprivilegedMessageType]?: readonly ProductId[] } = {
  lookupEmail: SETUP_PRODUCT_IDS,
  getContinueAs: SETUP_PRODUCT_IDS,
};

/** A message on the wire. */
export type Message = { [K in MessageType]: { type: K; data: RequestOf<K> } }[MessageType];

/** The reply to every message. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Sends one wire message and resolves with the raw reply; `chrome.runtime.sendMessage` in the extension. */
export type Transport = (message: Message) => Promise<unknown>;

/** A typed `sendMessage`: what a caller (popup model, switcher) depends on, so tests can pass their own. */
export type SendMessage = <K extends MessageType>(type: K, data: RequestOf<K>) => Promise<ResponseOf<K>>;

/** Build a typed `sendMessage` on a transport. A rejected reply throws an `ExtensionError` with its code. */
export function createSendMessage(transport: Transport): SendMessage {
  return async (type, data) => {
    let reply: unknown;
    try {
      reply = await transport({ type, data } as Message);
    } catch (cause) {
      throw new ExtensionError('internal', 'The extension background is not reachable.', { cause });
    }
    if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
      throw new ExtensionError('internal', 'The extension background gave no answer.');
    }
    const typed = reply as Reply<ResponseOf<typeof type>>;
    if (typed.ok) return typed.data;
    const code = isErrorCode(typed.error?.code) ? typed.error.code : 'internal';
    throw new ExtensionError(code, String(typed.error?.message ?? 'Unknown error.'));
  };
}
