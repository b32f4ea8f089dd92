import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { ContinueAsOffer, SendMessage } from '../../../contract/messages';
import { continueAs, continueAsLabel, initContinueAs, OFFER_TITLE } from '../../../src/content/continue-as';
import { appliesTo, type PageLocation } from '../../../src/content/features';
import { MARKER_ATTRIBUTE } from '../../../src/content/mount';
import { PRODUCT_ORIGINS } from '../../../src/shared/config';

function at(product: keyof typeof PRODUCT_ORIGINS, path: string): PageLocation {
  const url = new URL(path, PRODUCT_ORIGINS[product]);
  return { origin: url.origin, hostname: url.hostname, pathname: url.pathname, search: url.search };
}

const ADA: ContinueAsOffer = { name: 'Ada Lovelace', email: 'ada@example.com' };
let controller: AbortController;
let navigated: string[];
let sent: unknown[];

function start(offer: ContinueAsOffer | Error, location = at('segment', '/login?next=%2Fworkspaces%2Fw1')) {
  const send = (async (type: string, data: unknown) => {
    sent.push({ type, data });
    if (offer instanceof Error) throw offer;
    return offer;
  }) as SendMessage;
  return initContinueAs(controller.signal, { send, location, navigate: (url) => navigated.push(url) });
}

beforeEach(() => {
  controller = new AbortController();
  navigated = [];
  sent = [];
  document.body.innerHTML = `<main><form method="post" action="/login">
    <label for="email">Email</label><input id="email" name="email" type="email">
    <button type="submit">Log in</button></form></main>`;
});
afterEach(() => controller.abort());

describe('Continue as <name> on a product login page', () => {
  it('applies to the login pages of Segment and SendGrid only', () => {
    expect(appliesTo(continueAs, at('segment', '/login'))).toBe(true);
    expect(appliesTo(continueAs, at('sendgrid', '/login'))).toBe(true);
    expect(appliesTo(continueAs, at('console', '/login'))).toBe(false);
    expect(appliesTo(continueAs, at('segment', '/workspaces/w1'))).toBe(false);
  });

  it('signed in: offers a labelled group whose button leads to the product route with the email as login_hint', async () => {
    const mounted = await start(ADA);
    expect(sent).toEqual([{ type: 'getContinueAs', data: {} }]);
    expect(mounted?.host.getAttribute(MARKER_ATTRIBUTE)).toBe('continue-as');
    const group = mounted!.root.querySelector('[role="group"]')!;
    const titleId = group.getAttribute('aria-labelledby')!;
    expect(mounted!.root.getElementById(titleId)?.textContent).toBe(OFFER_TITLE);
    expect(mounted!.root.getElementById(group.getAttribute('aria-describedby')!)?.textContent).toBe(ADA!.email);
    const button = mounted!.root.querySelector('button')!;
    expect(button.type).toBe('button');
    expect(button.textContent).toBe('Continue as Ada');
    expect(navigated).toEqual([]); // nothing happens until the person chooses it
    button.click();
    expect(navigated).toEqual([
      `${PRODUCT_ORIGINS.segment}/login/twilio?login_hint=ada%40example.com&next=%2Fworkspaces%2Fw1`,
    ]);
  });

  it('keeps an unsafe next out of the URL', async () => {
    const mounted = await start(ADA, at('sendgrid', '/login?next=https%3A%2F%2Fevil.example%2F'));
    mounted!.root.querySelector('button')!.click();
    expect(navigated).toEqual([`${PRODUCT_ORIGINS.sendgrid}/login/twilio?login_hint=ada%40example.com&next=%2F`]);
  });

  it('mounts nothing when signed out, when the background refuses, or twice', async () => {
    expect(await start(null)).toBeUndefined();
    expect(await start(new ExtensionError('untrusted_sender', 'no'))).toBeUndefined();
    expect(document.querySelector(`[${MARKER_ATTRIBUTE}="continue-as"]`)).toBeNull();
    expect(await start(ADA)).toBeDefined();
    expect(await start(ADA)).toBeUndefined();
    expect(document.querySelectorAll(`[${MARKER_ATTRIBUTE}="continue-as"]`)).toHaveLength(1);
  });

  it('goes away when its signal aborts', async () => {
    const mounted = await start(ADA);
    controller.abort();
    expect(mounted!.host.isConnected).toBe(false);
  });

  it('greets by first name', () => {
    expect(continueAsLabel('Ada Lovelace')).toBe('Continue as Ada');
    expect(continueAsLabel('Dan')).toBe('Continue as Dan');
  });
});
