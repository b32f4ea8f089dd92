import type { Me, ProductEntry } from '../../../contract/api';
import { ExtensionError } from '../../../contract/errors';
import type { MessageType, PopupState, RequestOf, ResponseOf, SendMessage } from '../../../contract/messages';

export const DAN: Me = { sub: 'user-dan', name: 'Dan Brown', email: 'dan@example.com', eligible: false };

export const DAN_PRODUCTS: ProductEntry[] = [
  {
    id: 'console',
    name: 'Twilio Console',
    status: 'active',
    url: 'http://console.twilio.localhost:8787/',
    workspaces: [],
  },
  { id: 'segment', name: 'Segment', status: 'unavailable', note: 'Contact support to request access', workspaces: [] },
  { id: 'sendgrid', name: 'SendGrid', status: 'unavailable', workspaces: [] },
];

export const SIGNED_IN: PopupState = { status: 'signed_in', me: DAN, products: DAN_PRODUCTS, fetchedAt: 1000 };

type Answer = { [K in MessageType]?: (data: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K> };

/** A background stand-in answering each message type from a table, recording what was sent. */
export function fakeBackground(answers: Answer) {
  const sent: { type: MessageType; data: unknown }[] = [];
  const send: SendMessage = async (type, data) => {
    sent.push({ type, data });
    const answer = answers[type] as ((data: unknown) => unknown) | undefined;
    if (!answer) throw new ExtensionError('internal', `no answer for ${type}`);
    return (await answer(data)) as never;
  };
  return { send, sent };
}

/** A `Storage` stand-in (the snapshot's localStorage) whose items the test can read. */
export function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}
