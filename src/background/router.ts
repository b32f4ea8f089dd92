/**
 * The background's message boundary. Trust is decided here, once, before any handler runs:
 *
 * 1. the sender must be this extension (`sender.id`);
 * 2. its origin decides its kind — the extension's own origin (`chrome-extension://<id>`, in Firefox
 *    `moz-extension://<UUID>`) is an extension page (the popup); a product origin of this world is a content
 *    script; anything else is refused. `sender.origin` is set by the browser process and cannot be forged by a
 *    compromised renderer (unlike anything in the message); both Chromium and Firefox (126+) give it, and
 *    `sender.url` is only a fallback for browsers without it;
 * 3. the message and its payload are validated against the contract;
 * 4. privileged messages are refused unless the sender is an extension page;
 * 5. messages limited to some products (`MESSAGE_PRODUCTS`) are refused unless the sender is a content script on
 *    one of those products' origins.
 *
 * A refusal answers `{ok: false, error: {code, message}}` and touches nothing else.
 */
import type { ProductId } from '../../contract/catalogue';
import { ExtensionError, toWireError } from '../../contract/errors';
import { parseMessage } from '../../contract/message-schemas';
import {
  MESSAGE_ACCESS,
  MESSAGE_PRODUCTS,
  type Message,
  type MessageType,
  type Reply,
  type RequestOf,
  type ResponseOf,
  type UnprivilegedMessageType,
} from '../../contract/messages';
import { productForOrigin } from '../shared/config';

/** The parts of `runtime.MessageSender` the router reads. */
export interface Sender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
}

export interface TrustContext {
  extensionId: string;
  /** This extension's own origin: `chrome-extension://<id>`, or in Firefox `moz-extension://<per-profile UUID>`. */
  extensionOrigin: string;
  /** Exact origins (scheme, host, port) whose content scripts may send unprivileged messages. */
  productOrigins: readonly string[];
}

export type SenderKind = 'extension' | 'content';

function senderOrigin(sender: Sender): string | undefined {
  if (sender.origin) return sender.origin;
  if (!sender.url) return undefined;
  try {
    return new URL(sender.url).origin;
  } catch {
    return undefined;
  }
}

/** What kind of sender this is, or `undefined` when it is not to be trusted at all. */
export function classifySender(sender: Sender, context: TrustContext): SenderKind | undefined {
  if (sender.id !== context.extensionId) return undefined;
  const origin = senderOrigin(sender);
  if (origin === undefined) return undefined;
  // Extension pages are recognised by origin alone, so the popup also works when opened in a tab; a content
  // script always carries its page's origin, never the extension's.
  if (origin === context.extensionOrigin) return 'extension';
  if (context.productOrigins.includes(origin)) return 'content';
  return undefined;
}

/** What a handler learns about its (already authorised) sender. */
export interface From {
  kind: SenderKind;
  /** The product whose page sent the message (content scripts only), from the sender's origin. */
  product?: ProductId;
  /** The sending tab (content scripts only); its reply goes back to that tab's content script alone. */
  tabId?: number;
}

export type Authorisation =
  | { ok: true; message: Message; kind: SenderKind; from: From }
  | { ok: false; error: ExtensionError };

/** Decide whether `sender` may have `message` handled. Pure: no handler, storage or network is touched. */
export function authorise(message: unknown, sender: Sender, context: TrustContext): Authorisation {
  const kind = classifySender(sender, context);
  if (kind === undefined) {
    return { ok: false, error: new ExtensionError('untrusted_sender', 'Messages from this sender are not accepted.') };
  }
  const parsed = parseMessage(message);
  if (!parsed) {
    return { ok: false, error: new ExtensionError('invalid_message', 'The message does not match the contract.') };
  }
  if (MESSAGE_ACCESS[parsed.type] === 'extension' && kind !== 'extension') {
    return {
      ok: false,
      error: new ExtensionError('privileged_message', `Only the extension's own pages may send ${parsed.type}.`),
    };
  }
  const from: From = { kind };
  if (kind === 'content') {
    from.product = productForOrigin(senderOrigin(sender) ?? '');
    if (typeof sender.tab?.id === 'number') from.tabId = sender.tab.id;
  }
  const products = MESSAGE_PRODUCTS[parsed.type as UnprivilegedMessageType];
  if (products && !(from.product && products.includes(from.product))) {
    return {
      ok: false,
      error: new ExtensionError(
        'untrusted_sender',
        `${parsed.type} is accepted only from ${products.join(', ')} pages.`,
      ),
    };
  }
  return { ok: true, message: parsed, kind, from };
}

/** One handler per message type, typed from the contract. */
export type Handlers = {
  [K in MessageType]: (data: RequestOf<K>, from: From) => Promise<ResponseOf<K>>;
};

export interface Router {
  /** Authorise, then run the handler; always resolves with a reply, never rejects. */
  handle(message: unknown, sender: Sender): Promise<Reply<unknown>>;
}

export function createRouter(handlers: Handlers, context: TrustContext): Router {
  return {
    async handle(message, sender) {
      const decision = authorise(message, sender, context);
      if (!decision.ok) return { ok: false, error: decision.error.toWire() };
      const { type, data } = decision.message;
      const handler = handlers[type] as (data: unknown, from: From) => Promise<unknown>;
      try {
        return { ok: true, data: await handler(data, decision.from) };
      } catch (error) {
        return { ok: false, error: toWireError(error) };
      }
    },
  };
}
