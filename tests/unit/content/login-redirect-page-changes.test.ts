/**
 * The login-redirect notice when the page changes under it: the form re-rendered, the email field replaced, the
 * page's route changed. A countdown never continues from a notice the person can no longer see or cancel, and the
 * new field is watched like the first.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOOKUP_DEBOUNCE_MS, type SendMessage } from '../../../contract/messages';
import {
  COUNTDOWN_SECONDS,
  initLoginRedirect,
  keepLoginRedirect,
  type LoginRedirectDeps,
  NOTICE_TITLE,
  type PageLocation,
} from '../../../src/content/login-redirect';
import { MARKER_ATTRIBUTE, REMOUNT_AT_MOST_EVERY_MS } from '../../../src/content/mount';
import { PRODUCT_ORIGINS } from '../../../src/shared/config';

const SEGMENT = PRODUCT_ORIGINS.segment;
const FORM = `<form method="post" action="/login">
  <label for="email">Email</label><input id="email" name="email" type="email">
  <label for="password">Password</label><input id="password" name="password" type="password">
</form>`;

let controller: AbortController;
let navigated: string[];
let asked: string[];
let location: PageLocation;

function deps(): LoginRedirectDeps {
  const send = (async (_type: string, data: { email: string }) => {
    asked.push(data.email);
    return { unified: true };
  }) as SendMessage;
  // happy-dom's dispatched events are not trusted; these tests stand in for the person typing.
  return {
    send,
    location,
    navigate: (url) => navigated.push(url),
    autoContinue: async () => true,
    isUserInput: () => true,
  };
}

const emailInput = () => document.querySelector<HTMLInputElement>('#email')!;
const hosts = () => [...document.querySelectorAll(`[${MARKER_ATTRIBUTE}="login-redirect"]`)] as HTMLElement[];

async function typeAndPause(value: string): Promise<void> {
  emailInput().value = value;
  emailInput().dispatchEvent(new Event('input', { bubbles: true }));
  await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS);
}

const continued = (email: string) => `${SEGMENT}/login/twilio?login_hint=${encodeURIComponent(email)}&next=%2F`;

beforeEach(() => {
  vi.useFakeTimers();
  controller = new AbortController();
  navigated = [];
  asked = [];
  const url = new URL('/login', SEGMENT);
  location = { origin: url.origin, hostname: url.hostname, pathname: url.pathname, search: '' };
  document.body.innerHTML = `<main>${FORM}</main>`;
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('the login-redirect notice when the page changes under it', () => {
  it('does not continue when the page re-renders its form during the countdown, and watches the new field', async () => {
    keepLoginRedirect(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    await typeAndPause('ada@example.com');
    expect(hosts()[0]?.hidden).toBe(false);

    document.querySelector('main')!.innerHTML = FORM; // the page's next render: a new, empty form
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000 * 2);
    expect(navigated).toEqual([]);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]?.hidden).toBe(true);
    expect(hosts()[0]?.parentElement).toBe(document.querySelector('form'));

    await typeAndPause('eve@example.com');
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(asked).toEqual(['ada@example.com', 'eve@example.com']);
    expect(navigated).toEqual([continued('eve@example.com')]);
  });

  it('does not continue when the page replaces only the email field, and asks about the new field', async () => {
    keepLoginRedirect(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    await typeAndPause('ada@example.com');
    const replacement = document.createElement('input');
    Object.assign(replacement, { id: 'email', name: 'email', type: 'email' });
    emailInput().replaceWith(replacement);
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000 * 2);
    expect(navigated).toEqual([]);
    expect(hosts().map((host) => host.hidden)).toEqual([true]);

    await typeAndPause('eve@example.com');
    expect(asked).toEqual(['ada@example.com', 'eve@example.com']);
  });

  it('stops when the page routes away from its login page, and starts again when it routes back', async () => {
    keepLoginRedirect(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    await typeAndPause('ada@example.com');
    location.pathname = '/signup'; // history.pushState, then the new route's page
    document.querySelector('main')!.innerHTML = FORM;
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000 * 2);
    expect(navigated).toEqual([]);
    expect(hosts()).toHaveLength(0);

    location.pathname = '/login';
    document.querySelector('main')!.innerHTML = FORM;
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(1);
  });

  it('does not continue from a page that is no longer its login page, even with the same form', async () => {
    const mounted = initLoginRedirect(controller.signal, deps())!;
    await typeAndPause('ada@example.com');
    expect(mounted.host.hidden).toBe(false);
    location.pathname = '/signup';
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toEqual([]);
    expect(mounted.host.hidden).toBe(true);
  });

  it('does not continue from a field that left the page while nothing watched it', async () => {
    const mounted = initLoginRedirect(controller.signal, deps())!;
    await typeAndPause('ada@example.com');
    // The host kept in the page (moved out of the form), the field gone with the form.
    document.body.append(mounted.host);
    document.querySelector('form')!.remove();
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toEqual([]);
    expect(mounted.root.textContent).not.toContain(NOTICE_TITLE);
  });
});
