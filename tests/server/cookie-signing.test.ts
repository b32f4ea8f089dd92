import { describe, expect, it } from 'vitest';
import { CookieSigner } from '../../mock-server/identity/cookie-signing';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { openLogin } from './login-page';
import { worldForFile } from './world';

const world = await worldForFile();

describe('the signer of the provider cookies', () => {
  it("signs like Keygrip's defaults: HMAC-SHA1 in base64url without padding (RFC 2202 test case 2)", () => {
    expect(new CookieSigner(['Jefe']).sign('what do ya want for nothing?')).toBe('7_zfauXrL6LSdBbV8YTfnCWafHk');
  });

  it('names the key that signed, so an older key still verifies and is re-signed with the current one', () => {
    const old = new CookieSigner(['older-key']);
    const rotated = new CookieSigner(['current-key', 'older-key']);
    const data = '_interaction=abc';
    expect(rotated.index(data, rotated.sign(data))).toBe(0);
    expect(rotated.index(data, old.sign(data))).toBe(1);
    expect(rotated.verify(data, old.sign(data))).toBe(true);
  });

  it('refuses a signature of other data, another key, another length or none', () => {
    const signer = new CookieSigner(['current-key']);
    const signature = signer.sign('_interaction=abc');
    expect(signer.index('_interaction=abd', signature)).toBe(-1);
    expect(signer.index('_interaction=abc', new CookieSigner(['a stranger']).sign('_interaction=abc'))).toBe(-1);
    expect(signer.index('_interaction=abc', signature.slice(1))).toBe(-1);
    expect(signer.index('_interaction=abc', '')).toBe(-1);
    expect(signer.verify('_interaction=abc', `${signature}x`)).toBe(false);
  });

  it('needs a key', () => {
    expect(() => new CookieSigner([])).toThrow('cookie signing needs at least one key');
  });
});

describe('a sign-in whose interaction cookie signature was tampered with', () => {
  it('is not found: the sign-in page says it has expired', async () => {
    const login = await openLogin(world);
    const host = login.interactionUrl.hostname;
    const id = login.browser.jar.value(host, '_interaction');
    const signature = login.browser.jar.value(host, '_interaction.sig');
    expect(id).toEqual(expect.any(String));
    expect(signature).toEqual(expect.any(String));
    const forged = `${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`;
    const response = await new HeadlessBrowser().request(login.interactionUrl, {
      headers: { cookie: `_interaction=${id}; _interaction.sig=${forged}` },
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('This page has expired');
    expect(html).toContain('This sign-in has expired. Go back to the app and start again.');
    // The genuine cookie still opens it.
    expect((await login.browser.request(login.interactionUrl)).status).toBe(200);
  });
});
