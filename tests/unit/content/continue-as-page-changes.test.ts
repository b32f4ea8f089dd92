/**
 * The "Continue as …" offer when the page changes under it: the login form re-rendered (before or after the
 * background answered), the box alone taken out. The offer comes back beside the new form, and a run whose form
 * left the page mounts nothing more and leaves no listener behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContinueAsOffer, SendMessage } from '../../../contract/messages';
import { type ContinueAsDeps, keepContinueAs } from '../../../src/content/continue-as';
import { MARKER_ATTRIBUTE, REMOUNT_AT_MOST_EVERY_MS } from '../../../src/content/mount';
import { PRODUCT_ORIGINS } from '../../../src/shared/config';

const SEGMENT = PRODUCT_ORIGINS.segment;
const FORM = `<form method="post" action="/login">
  <label for="email">Email</label><input id="email" name="email" type="email">
  <button type="submit">Log in</button>
</form>`;
const ADA: ContinueAsOffer = { name: 'Ada Lovelace', email: 'ada@example.com' };
const CONTINUED = `${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`;

let controller: AbortController;
let navigated: string[];
/** The background's answers still to give, oldest first. */
let pending: Array<(offer: ContinueAsOffer) => void>;
let asked: number;

function deps(answerAtOnce = true): ContinueAsDeps {
  const send = (async () => {
    asked += 1;
    return answerAtOnce ? ADA : new Promise<ContinueAsOffer>((resolve) => pending.push(resolve));
  }) as SendMessage;
  const url = new URL('/login', SEGMENT);
  const location = { origin: url.origin, hostname: url.hostname, pathname: url.pathname, search: '' };
  return { send, location, navigate: (to) => navigated.push(to) };
}

const hosts = () => [...document.querySelectorAll(`[${MARKER_ATTRIBUTE}="continue-as"]`)] as HTMLElement[];
/** The box's button; tests reach the closed shadow root through `attachShadow`'s result. */
const roots = new WeakMap<Element, ShadowRoot>();
const buttonIn = (host: Element) => roots.get(host)!.querySelector('button')!;
const rerenderForm = () => {
  document.querySelector('main')!.innerHTML = FORM;
};

beforeEach(() => {
  vi.useFakeTimers();
  controller = new AbortController();
  navigated = [];
  pending = [];
  asked = 0;
  document.body.innerHTML = `<main>${FORM}</main>`;
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  });
});

afterEach(() => {
  controller.abort();
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('the Continue-as offer when the page changes under it', () => {
  it('comes back beside the form the page re-renders, and the box that left leads nowhere', async () => {
    keepContinueAs(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    const [first] = hosts();
    expect(first?.previousElementSibling).toBe(document.querySelector('form'));

    rerenderForm();
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    expect(first?.isConnected).toBe(false);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]?.previousElementSibling).toBe(document.querySelector('form'));
    expect(asked).toBe(2);

    buttonIn(first!).click(); // the old box's listener went with its run
    expect(navigated).toEqual([]);
    buttonIn(hosts()[0]!).click();
    expect(navigated).toEqual([CONTINUED]);
  });

  it('mounts nothing for a form that left while the background answered, and offers the new form', async () => {
    keepContinueAs(controller.signal, deps(false));
    await vi.advanceTimersByTimeAsync(0);
    rerenderForm();
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    expect(pending).toHaveLength(2);
    pending[0]!(ADA); // the old form's answer, late
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(0);
    pending[1]!(ADA);
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]?.previousElementSibling).toBe(document.querySelector('form'));
  });

  it('comes back when the page takes out the box alone', async () => {
    keepContinueAs(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    hosts()[0]!.remove();
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    expect(hosts()).toHaveLength(1);
  });

  it('stops for good when its signal aborts', async () => {
    keepContinueAs(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    expect(hosts()).toHaveLength(0);
    rerenderForm();
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    expect(hosts()).toHaveLength(0);
    expect(asked).toBe(1);
  });
});
