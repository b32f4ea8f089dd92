import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import { LOOKUP_DEBOUNCE_MS, type SendMessage } from '../../../contract/messages';
import {
  appliesTo,
  COUNTDOWN_SECONDS,
  countdownText,
  initLoginRedirect,
  NOTICE_TITLE,
  type PageLocation,
  pageNextPath,
  STOPPED_TEXT,
  WAITING_TEXT,
} from '../../../src/content/login-redirect';
import { MARKER_ATTRIBUTE } from '../../../src/content/mount';
import { PRODUCT_ORIGINS } from '../../../src/shared/config';
import { AUTO_CONTINUE_KEY, loadAutoContinue } from '../../../src/shared/login-redirect-settings';
import { createMemoryStorageArea } from '../support/fakes';

const SEGMENT = PRODUCT_ORIGINS.segment;

function segmentLogin(search = ''): PageLocation {
  const url = new URL(`/login${search}`, SEGMENT);
  return { origin: url.origin, hostname: url.hostname, pathname: url.pathname, search: url.search };
}

let controller: AbortController;
let navigated: string[];
let sent: unknown[];
let unified: Set<string>;
let answer: (email: string) => Promise<{ unified: boolean }>;
/** The extension's `storage.local`, where the options page keeps "Continue to the Twilio login automatically". */
let settings: ReturnType<typeof createMemoryStorageArea>;

function page(): void {
  document.body.innerHTML = `
<main>
  <form method="post" action="/login">
    <label for="email">Email</label><input id="email" name="email" type="email">
    <label for="password">Password</label><input id="password" name="password" type="password">
    <button type="submit">Log in</button>
  </form>
  <p><a href="/forgot">Forgot your password?</a></p>
</main>`;
}

function start(location: PageLocation = segmentLogin()) {
  const send = (async (type: string, data: { email: string }) => {
    sent.push({ type, data });
    return answer(data.email);
  }) as SendMessage;
  // happy-dom's dispatched events are not trusted; these tests stand in for the person typing.
  return initLoginRedirect(controller.signal, {
    send,
    location,
    navigate: (url) => navigated.push(url),
    autoContinue: () => loadAutoContinue(settings),
    isUserInput: () => true,
  });
}

const emailInput = () => document.querySelector<HTMLInputElement>('#email')!;

/** What a user (or a page script faking it) does: set the value and fire `input`. */
function type(value: string): void {
  emailInput().value = value;
  emailInput().dispatchEvent(new Event('input', { bubbles: true }));
}

async function typeAndPause(value: string): Promise<void> {
  type(value);
  await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS);
}

function ui(root: ShadowRoot) {
  const notice = () => root.querySelector<HTMLElement>('[role="group"]');
  const button = (name: string) =>
    [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === name && !b.hidden);
  const status = () => root.querySelector<HTMLElement>('[role="status"]');
  return { notice, button, status };
}

beforeEach(() => {
  vi.useFakeTimers();
  controller = new AbortController();
  navigated = [];
  sent = [];
  unified = new Set(['ada@example.com', 'eve@example.com']);
  answer = async (email) => ({ unified: unified.has(email) });
  settings = createMemoryStorageArea();
  page();
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('login redirect: where it runs', () => {
  it('runs on the Segment and SendGrid login pages only', () => {
    expect(appliesTo({ hostname: 'app.segment.localhost', pathname: '/login' })).toBe(true);
    expect(appliesTo({ hostname: 'app.sendgrid.localhost', pathname: '/login' })).toBe(true);
    expect(appliesTo({ hostname: 'console.twilio.localhost', pathname: '/login' })).toBe(false);
    expect(appliesTo({ hostname: 'login.twilio.localhost', pathname: '/login' })).toBe(false);
    expect(appliesTo({ hostname: 'evil.localhost', pathname: '/login' })).toBe(false);
    expect(appliesTo({ hostname: 'app.segment.localhost', pathname: '/settings' })).toBe(false);
  });

  it('mounts nothing on the Console or on other product pages', () => {
    const consoleLogin = { ...segmentLogin(), origin: PRODUCT_ORIGINS.console, hostname: 'console.twilio.localhost' };
    expect(start(consoleLogin)).toBeUndefined();
    expect(start({ ...segmentLogin(), pathname: '/workspaces' })).toBeUndefined();
    expect(document.querySelector(`[${MARKER_ATTRIBUTE}]`)).toBeNull();
  });

  it('mounts one hidden host at the end of the form; mounting twice is a no-op', () => {
    const first = start();
    expect(first).toBeDefined();
    expect(start()).toBeUndefined();
    const form = document.querySelector('form')!;
    expect(form.querySelectorAll(`[${MARKER_ATTRIBUTE}="login-redirect"]`)).toHaveLength(1);
    expect(form.lastElementChild).toBe(first!.host);
    expect(first!.host.hidden).toBe(true);
  });

  it('removes its host when aborted', () => {
    const mounted = start()!;
    controller.abort();
    expect(mounted.host.isConnected).toBe(false);
  });
});

describe('login redirect: detecting the email', () => {
  it('asks once, after the typing pauses, with only the email', async () => {
    start();
    for (const prefix of ['a', 'ad', 'ada', 'ada@', 'ada@example.c', 'ada@example.com']) {
      type(prefix);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS - 100);
    expect(sent).toEqual([{ type: 'lookupEmail', data: { email: 'ada@example.com' } }]);
  });

  it('does not ask about incomplete, malformed or 10 kB emails', async () => {
    start();
    for (const value of ['ada', 'ada@', 'ada@example', 'ada@example.c', 'ada@@example.com', 'a da@example.com']) {
      await typeAndPause(value);
    }
    await typeAndPause(`${'a'.repeat(10_000)}@example.com`);
    await typeAndPause(`${'a'.repeat(64)}@${'b'.repeat(180)}.com`); // 249 characters but a 64+ local part is fine
    expect(sent).toEqual([{ type: 'lookupEmail', data: { email: `${'a'.repeat(64)}@${'b'.repeat(180)}.com` } }]);
    await typeAndPause(`${'a'.repeat(64)}@${'b'.repeat(190)}.com`); // 259 characters
    expect(sent).toHaveLength(1);
  });

  it('does not ask again for the same value (repeated or faked events)', async () => {
    start();
    await typeAndPause('frank@example.net');
    await typeAndPause('frank@example.net');
    emailInput().dispatchEvent(new Event('change', { bubbles: true }));
    await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS);
    expect(sent).toHaveLength(1);
  });

  it('shows the notice for a unified email, with a countdown in a live status region', async () => {
    const { host, root } = start()!;
    await typeAndPause('ada@example.com');
    const { notice, button, status } = ui(root);
    expect(host.hidden).toBe(false);
    expect(notice()).not.toBeNull();
    expect(root.getElementById(notice()!.getAttribute('aria-labelledby')!)?.textContent).toBe(NOTICE_TITLE);
    expect(root.getElementById(notice()!.getAttribute('aria-describedby')!)?.textContent).toBe('ada@example.com');
    expect(status()!.getAttribute('aria-live')).toBe('polite');
    expect(status()!.textContent).toBe('Continuing in 3…');
    expect(button('Continue')?.type).toBe('button');
    expect(button('Cancel')?.type).toBe('button');
    expect(root.querySelector('input, textarea, select, form')).toBeNull();

    await vi.advanceTimersByTimeAsync(1000);
    expect(status()!.textContent).toBe(countdownText(2));
    await vi.advanceTimersByTimeAsync(1000);
    expect(status()!.textContent).toBe(countdownText(1));
  });

  it('shows nothing for an email that is not unified, and never navigates', async () => {
    const { host, root } = start()!;
    await typeAndPause('frank@example.net');
    expect(sent).toHaveLength(1);
    expect(host.hidden).toBe(true);
    expect(ui(root).notice()).toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(navigated).toEqual([]);
  });

  it('shows nothing when the background is unreachable or refuses', async () => {
    answer = async () => {
      throw new ExtensionError('untrusted_sender', 'no');
    };
    const { host } = start()!;
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.hidden).toBe(true);
    expect(navigated).toEqual([]);
  });

  it('checks an email the page rendered into the field (value attribute)', async () => {
    emailInput().setAttribute('value', 'ada@example.com');
    const { root } = start()!;
    await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS);
    expect(ui(root).notice()).not.toBeNull();
  });

  it('does not ask about a value a script set before the feature ran', async () => {
    emailInput().value = 'ada@example.com';
    const { root } = start()!;
    await vi.advanceTimersByTimeAsync(LOOKUP_DEBOUNCE_MS);
    expect(sent).toEqual([]);
    expect(ui(root).notice()).toBeNull();
  });

  it('ignores an answer that arrives after the email changed', async () => {
    let release!: () => void;
    answer = (email) =>
      new Promise((resolve) => {
        release = () => resolve({ unified: unified.has(email) });
      });
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    type('ada@example.co');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(ui(root).notice()).toBeNull();
  });

  it('shows the email as text, never as markup', async () => {
    unified.add('<img/src=x/onerror=alert(1)>@example.com');
    const { root } = start()!;
    await typeAndPause('<img/src=x/onerror=alert(1)>@example.com');
    expect(ui(root).notice()).not.toBeNull();
    expect(root.querySelector('img')).toBeNull();
    expect(root.getElementById('uls-login-redirect-email')?.textContent).toBe(
      '<img/src=x/onerror=alert(1)>@example.com',
    );
  });
});

describe('login redirect: continuing', () => {
  it('navigates to exactly the product’s own continue route when the countdown ends', async () => {
    start();
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000 - 1);
    expect(navigated).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(navigated).toEqual([`${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(navigated).toHaveLength(1);
  });

  it('navigates at once on Continue', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    ui(root).button('Continue')!.click();
    expect(navigated).toEqual([`${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`]);
  });

  it('Cancel stops the countdown; the notice stays with Continue available', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    const { notice, button, status } = ui(root);
    await vi.advanceTimersByTimeAsync(1000);
    button('Cancel')!.focus();
    button('Cancel')!.click();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(navigated).toEqual([]);
    expect(notice()).not.toBeNull();
    expect(status()!.textContent).toBe(STOPPED_TEXT);
    expect(button('Cancel')).toBeUndefined();
    expect(root.activeElement).toBe(button('Continue'));
    button('Continue')!.click();
    expect(navigated).toEqual([`${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`]);
  });

  it('Escape in the form stops the countdown', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    emailInput().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(navigated).toEqual([]);
    expect(ui(root).status()!.textContent).toBe(STOPPED_TEXT);
  });

  it('removes the notice as soon as the email changes, and keeps it off for a non-unified email', async () => {
    const { host, root } = start()!;
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(1000);
    type('frank@example.net');
    expect(ui(root).notice()).toBeNull();
    expect(host.hidden).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ui(root).notice()).toBeNull();
    expect(navigated).toEqual([]);
  });

  it('shows a fresh notice for another unified email and continues with that one', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    await typeAndPause('eve@example.com');
    expect(root.getElementById('uls-login-redirect-email')?.textContent).toBe('eve@example.com');
    expect(root.querySelectorAll('[role="group"]')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toEqual([`${SEGMENT}/login/twilio?login_hint=eve%40example.com&next=%2F`]);
  });

  it('shows the notice again after changing away and back', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    type('ada@example.co');
    await typeAndPause('ada@example.com');
    expect(ui(root).notice()).not.toBeNull();
  });

  it('keeps a safe relative next path from the page', async () => {
    start(segmentLogin(`?next=${encodeURIComponent('/workspaces/ada?tab=members')}`));
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toEqual([
      `${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2Fworkspaces%2Fada%3Ftab%3Dmembers`,
    ]);
  });

  it.each(['//evil.localhost', '/\\evil.localhost', 'https://evil.localhost/', 'javascript:alert(1)'])(
    'replaces next=%s with /',
    async (next) => {
      start(segmentLogin(`?next=${encodeURIComponent(next)}`));
      await typeAndPause('ada@example.com');
      await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
      expect(navigated).toEqual([`${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`]);
    },
  );

  it('ignores input events a page script dispatches: no lookup, no notice, no navigation', async () => {
    answer = async () => ({ unified: true });
    const root = initLoginRedirect(controller.signal, {
      send: (async (type: string, data: { email: string }) => {
        sent.push({ type, data });
        return answer(data.email);
      }) as SendMessage,
      location: segmentLogin(),
      navigate: (url) => navigated.push(url),
      autoContinue: () => loadAutoContinue(settings),
    })!.root;
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(sent).toEqual([]);
    expect(ui(root).notice()).toBeNull();
    expect(navigated).toEqual([]);
  });

  it('lets faked input at most reach the product’s own continue route on the same origin', async () => {
    answer = async () => ({ unified: true }); // the worst case: the page makes every email look unified
    const email = 'x&next=https://evil.localhost/#@evil.localhost';
    start(segmentLogin('?next=//evil.localhost'));
    await typeAndPause(email);
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toHaveLength(1);
    const url = new URL(navigated[0]!);
    expect(url.origin).toBe(SEGMENT);
    expect(url.pathname).toBe('/login/twilio');
    expect(url.hash).toBe('');
    expect([...url.searchParams]).toEqual([
      ['login_hint', email],
      ['next', '/'],
    ]);
  });

  it('never reads or touches the password field', async () => {
    const password = document.querySelector<HTMLInputElement>('#password')!;
    let touched = 0;
    Object.defineProperty(password, 'value', {
      get: () => {
        touched += 1;
        return 'secret';
      },
      set: () => {
        touched += 1;
      },
    });
    start();
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toHaveLength(1);
    expect(touched).toBe(0);
    expect(JSON.stringify(sent)).not.toContain('secret');
  });
});

describe('login redirect: with "Continue to the Twilio login automatically" turned off', () => {
  const adaContinues = `${SEGMENT}/login/twilio?login_hint=ada%40example.com&next=%2F`;

  beforeEach(async () => {
    await settings.set({ [AUTO_CONTINUE_KEY]: false });
  });

  it('shows the notice without a countdown, says it waits, and never continues on its own', async () => {
    const { host, root } = start()!;
    await typeAndPause('ada@example.com');
    const { notice, button, status } = ui(root);
    expect(host.hidden).toBe(false);
    expect(root.getElementById(notice()!.getAttribute('aria-labelledby')!)?.textContent).toBe(NOTICE_TITLE);
    expect(status()!.textContent).toBe(WAITING_TEXT);
    expect(button('Continue')).toBeDefined();
    expect(button('Cancel')).toBeDefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(navigated).toEqual([]);
    expect(status()!.textContent).toBe(WAITING_TEXT);
  });

  it('continues on Continue', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    await vi.advanceTimersByTimeAsync(60_000);
    ui(root).button('Continue')!.click();
    expect(navigated).toEqual([adaContinues]);
  });

  it('Cancel dismisses the notice and gives the focus back to the email field', async () => {
    const { host, root } = start()!;
    await typeAndPause('ada@example.com');
    ui(root).button('Cancel')!.focus();
    ui(root).button('Cancel')!.click();
    expect(ui(root).notice()).toBeNull();
    expect(host.hidden).toBe(true);
    expect(document.activeElement).toBe(emailInput());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(navigated).toEqual([]);
  });

  it('Escape in the form dismisses the notice as Cancel does', async () => {
    const { host, root } = start()!;
    await typeAndPause('ada@example.com');
    const key = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    emailInput().dispatchEvent(key);
    expect(key.defaultPrevented).toBe(true);
    expect(ui(root).notice()).toBeNull();
    expect(host.hidden).toBe(true);
    expect(navigated).toEqual([]);
  });

  it('is read for each notice, so a change on the options page applies to a page already open', async () => {
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    expect(ui(root).status()!.textContent).toBe(WAITING_TEXT);
    await settings.set({ [AUTO_CONTINUE_KEY]: true });
    await typeAndPause('eve@example.com');
    expect(ui(root).status()!.textContent).toBe(countdownText(COUNTDOWN_SECONDS));
    await settings.set({ [AUTO_CONTINUE_KEY]: false });
    await typeAndPause('ada@example.com');
    expect(ui(root).status()!.textContent).toBe(WAITING_TEXT);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(navigated).toEqual([]);
  });

  it.each([
    ['a corrupt stored value', async () => settings.set({ [AUTO_CONTINUE_KEY]: 'off' })],
    [
      'storage that cannot be read',
      async () => {
        settings.get = () => Promise.reject(new Error('IO error: .../Local Extension Settings: Corruption'));
      },
    ],
  ])('counts down and continues as by default with %s', async (_, spoil) => {
    await spoil();
    const { root } = start()!;
    await typeAndPause('ada@example.com');
    expect(ui(root).status()!.textContent).toBe(countdownText(COUNTDOWN_SECONDS));
    await vi.advanceTimersByTimeAsync(COUNTDOWN_SECONDS * 1000);
    expect(navigated).toEqual([adaContinues]);
  });
});

describe('pageNextPath', () => {
  it.each([
    [null, '/'],
    ['', '/'],
    ['/', '/'],
    ['/workspaces?tab=1', '/workspaces?tab=1'],
    ['/a/../b', '/b'],
    ['/settings#x', '/settings'],
    ['//evil.localhost', '/'],
    ['/\\evil.localhost', '/'],
    ['\\\\evil.localhost', '/'],
    ['https://evil.localhost/', '/'],
    [`${SEGMENT}/workspaces`, '/'],
    ['javascript:alert(1)', '/'],
    ['/\t/evil.localhost', '/'],
    ['/\n/evil.localhost', '/'],
    ['/a/..//evil.localhost', '/'],
    ['workspaces', '/'],
  ])('%j → %j', (value, expected) => {
    expect(pageNextPath(value, SEGMENT)).toBe(expected);
  });

  it('replaces a path longer than 2 kB with /', () => {
    expect(pageNextPath(`/${'a'.repeat(3000)}`, SEGMENT)).toBe('/');
  });
});
