/**
 * A button that is busy keeps the focus: "Sign in with Twilio" while the Twilio window is open, the offline
 * notice's "Try again" while it refreshes, the sign-outs while signing out. Browsers move the focus off a `disabled` element (to the page), so a
 * cancelled sign-in left a keyboard or screen-reader user nowhere; these buttons are `aria-disabled` and ignore a
 * press instead. This page stands in for the browser: it takes the focus off an element as it becomes disabled.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { App } from '../../../src/popup/components/App';
import { createPopupModel, type PopupModel } from '../../../src/popup/model';
import { later } from '../support/later';
import { DAN, DAN_PRODUCTS, fakeBackground } from './fixtures';

const OFFLINE: PopupState = { status: 'signed_in', me: DAN, products: DAN_PRODUCTS, fetchedAt: 1000, offline: true };

let container: HTMLElement;
let browser: MutationObserver;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  // What browsers do: a focused element that becomes disabled loses the focus to the page.
  browser = new MutationObserver(() => {
    const active = document.activeElement as HTMLButtonElement | null;
    if (!active?.disabled) return;
    // happy-dom's blur() skips a disabled element, so it is enabled for the blur only.
    active.disabled = false;
    active.blur();
    active.disabled = true;
  });
  browser.observe(container, { attributes: true, attributeFilter: ['disabled'], subtree: true });
});

afterEach(() => {
  browser.disconnect();
  render(null, container);
  container.remove();
});

function show(model: PopupModel): void {
  act(() => {
    render(<App model={model} onOpen={() => undefined} />, container);
  });
}

const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name);
/** Lets the answers in flight arrive, the browser react and Preact render. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

async function press(target: HTMLButtonElement): Promise<void> {
  await act(() => target.click());
  await settle();
}

describe('"Sign in with Twilio" while signing in', () => {
  it.each([
    ['cancelled', new ExtensionError('sign_in_cancelled', 'The user closed the window.'), 'Sign-in was cancelled.'],
    [
      'failed',
      new ExtensionError('sign_in_failed', 'access_denied'),
      'Signing in with Twilio did not complete. Please try again.',
    ],
  ])('keeps the focus, ignores a second press, and still has it when the sign-in is %s', async (_, error, said) => {
    const signIn = later<PopupState>();
    const background = fakeBackground({ signIn: () => signIn.promise });
    const model = createPopupModel(background.send);
    model.status.value = 'signed_out';
    show(model);
    const signInButton = button('Sign in with Twilio')!;
    signInButton.focus();
    await press(signInButton);
    expect(document.activeElement).toBe(signInButton);
    expect(signInButton.getAttribute('aria-disabled')).toBe('true');
    await press(signInButton);
    expect(background.sent.map((m) => m.type)).toEqual(['signIn']);

    signIn.fail(error);
    await settle();
    expect(container.querySelector('[role="alert"] p')?.textContent).toBe(said);
    expect(document.activeElement).toBe(signInButton);
    expect(signInButton.getAttribute('aria-disabled')).toBe('false');
  });

  it('a press while busy does not keep the focus from moving to "Your products" once signed in', async () => {
    const signIn = later<PopupState>();
    const model = createPopupModel(
      fakeBackground({ signIn: () => signIn.promise, refreshProducts: () => ({ ...OFFLINE, offline: false }) }).send,
    );
    model.status.value = 'signed_out';
    show(model);
    const signInButton = button('Sign in with Twilio')!;
    signInButton.focus();
    await press(signInButton);
    await press(signInButton);
    signIn.answer({ ...OFFLINE, offline: false });
    await settle();
    expect(document.activeElement).toBe(container.querySelector('#products-title'));
  });
});

describe('the offline notice\'s "Try again" while it refreshes', () => {
  it('keeps the focus, ignores a second press, and has it when the answer is still offline', async () => {
    const refresh = later<PopupState>();
    const background = fakeBackground({ refreshProducts: () => refresh.promise });
    const model = createPopupModel(background.send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    model.fetchedAt.value = 1000;
    model.offline.value = true;
    show(model);
    const tryAgain = button('Try again')!;
    tryAgain.focus();
    await press(tryAgain);
    expect(document.activeElement).toBe(tryAgain);
    expect(tryAgain.getAttribute('aria-disabled')).toBe('true');
    await press(tryAgain);
    expect(background.sent.map((m) => m.type)).toEqual(['refreshProducts']);

    refresh.answer({ ...OFFLINE, fetchedAt: 1000 });
    await settle();
    expect(button('Try again')).toBe(tryAgain);
    expect(document.activeElement).toBe(tryAgain);
    expect(tryAgain.getAttribute('aria-disabled')).toBe('false');
  });
});

describe('the sign-outs while signing out', () => {
  it.each([
    ['Sign out of Twilio', 'signOutEverywhere'],
    ['Sign out of this extension only', 'signOut'],
  ] as const)(
    '"%s" keeps the focus, ignores a second press, and still has it when the sign-out fails',
    async (name, type) => {
      const signOut = later<PopupState>();
      const background = fakeBackground({
        [type]: () => signOut.promise,
        refreshProducts: () => ({ ...OFFLINE, offline: false }),
      });
      const model = createPopupModel(background.send);
      model.status.value = 'signed_in';
      model.me.value = DAN;
      model.products.value = DAN_PRODUCTS;
      show(model);
      const signOutButton = button(name)!;
      signOutButton.focus();
      await press(signOutButton);
      expect(document.activeElement).toBe(signOutButton);
      expect(signOutButton.getAttribute('aria-disabled')).toBe('true');
      expect(button('Sign out of Twilio')!.getAttribute('aria-disabled')).toBe('true');
      expect(button('Sign out of this extension only')!.getAttribute('aria-disabled')).toBe('true');
      await press(signOutButton);
      expect(background.sent.filter((m) => m.type === type)).toHaveLength(1);

      signOut.fail(new ExtensionError('network', 'fetch failed'));
      await settle();
      expect(container.querySelector('[role="alert"]')).not.toBeNull();
      expect(document.activeElement).toBe(signOutButton);
      expect(signOutButton.getAttribute('aria-disabled')).toBe('false');
    },
  );
});
