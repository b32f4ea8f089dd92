import { describe, expect, expectTypeOf, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import { parseMessage } from '../../../contract/message-schemas';
import {
  createSendMessage,
  MESSAGE_ACCESS,
  MESSAGE_PRODUCTS,
  type Message,
  type MessageType,
  type PopupState,
  type PrivilegedMessageType,
  type RequestOf,
  type ResponseOf,
  type SendMessage,
  type SwitcherState,
  type UnprivilegedMessageType,
} from '../../../contract/messages';

describe('the message contract', () => {
  it('pins the message types, their payloads and replies', () => {
    expectTypeOf<MessageType>().toEqualTypeOf<
      | 'getState'
      | 'signIn'
      | 'signOut'
      | 'signOutEverywhere'
      | 'refreshProducts'
      | 'getSwitcherState'
      | 'startSignIn'
      | 'requestAccess'
      | 'lookupEmail'
      | 'getContinueAs'
    >();
    expectTypeOf<RequestOf<'getSwitcherState'>>().toEqualTypeOf<{ recheck?: boolean }>();
    expectTypeOf<ResponseOf<'signOutEverywhere'>>().toEqualTypeOf<PopupState>();
    expectTypeOf<ResponseOf<'startSignIn'>>().toEqualTypeOf<SwitcherState>();
    expectTypeOf<ResponseOf<'requestAccess'>>().toEqualTypeOf<{ status: 'access_requested' }>();
    expectTypeOf<RequestOf<'lookupEmail'>>().toEqualTypeOf<{ email: string }>();
    expectTypeOf<ResponseOf<'lookupEmail'>>().toEqualTypeOf<{ unified: boolean }>();
    expectTypeOf<RequestOf<'getContinueAs'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<ResponseOf<'getContinueAs'>>().toEqualTypeOf<{ name: string; email: string } | null>();
    expectTypeOf<RequestOf<'refreshProducts'>>().toEqualTypeOf<{ force?: boolean }>();
    expectTypeOf<RequestOf<'signIn'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<ResponseOf<'getState'>>().toEqualTypeOf<PopupState>();
    expectTypeOf<ResponseOf<'signIn'>>().toEqualTypeOf<PopupState>();
    expectTypeOf<ResponseOf<'signOut'>>().toEqualTypeOf<PopupState>();
    expectTypeOf<ResponseOf<'refreshProducts'>>().toEqualTypeOf<PopupState>();
    expectTypeOf<ResponseOf<'getSwitcherState'>>().toEqualTypeOf<SwitcherState>();
    expectTypeOf<Parameters<SendMessage>>().toEqualTypeOf<[MessageType, RequestOf<MessageType>]>();
  });

  it('lets content scripts send only getSwitcherState, startSignIn, requestAccess, lookupEmail and getContinueAs', () => {
    expectTypeOf<UnprivilegedMessageType>().toEqualTypeOf<
      'getSwitcherState' | 'startSignIn' | 'requestAccess' | 'lookupEmail' | 'getContinueAs'
    >();
    expectTypeOf<PrivilegedMessageType>().toEqualTypeOf<
      'getState' | 'signIn' | 'signOut' | 'signOutEverywhere' | 'refreshProducts'
    >();
    expect(MESSAGE_ACCESS).toEqual({
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
    });
    expect(MESSAGE_PRODUCTS).toEqual({
      lookupEmail: ['segment', 'sendgrid'],
      getContinueAs: ['segment', 'sendgrid'],
    });
  });

  it('accepts well-formed messages and refuses unknown keys', () => {
    expect(parseMessage({ type: 'refreshProducts', data: { force: true } })).toEqual({
      type: 'refreshProducts',
      data: { force: true },
    });
    expect(parseMessage({ type: 'refreshProducts', data: { force: true, url: 'x' } })).toBeUndefined();
    expect(parseMessage({ type: 'getState', data: null })).toBeUndefined();
  });
});

describe('sendMessage', () => {
  it('resolves with the data of an accepted reply', async () => {
    const sent: Message[] = [];
    const send = createSendMessage(async (message) => {
      sent.push(message);
      return { ok: true, data: { status: 'signed_out' } };
    });
    expect(await send('getState', {})).toEqual({ status: 'signed_out' });
    expect(sent).toEqual([{ type: 'getState', data: {} }]);
  });

  it('throws an ExtensionError with the code of a rejected reply', async () => {
    const send = createSendMessage(async () => ({
      ok: false,
      error: { code: 'privileged_message', message: 'no' },
    }));
    const error = await send('signOut', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionError);
    expect((error as ExtensionError).code).toBe('privileged_message');
    expect((error as ExtensionError).message).toBe('no');
  });

  it('throws internal when the background does not answer', async () => {
    const send = createSendMessage(async () => undefined);
    const error = await send('getState', {}).catch((e: unknown) => e);
    expect((error as ExtensionError).code).toBe('internal');
  });
});
