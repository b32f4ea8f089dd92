/** The sign-in's interaction cookie is signed (oidc-provider's signed cookies): a forged signature finds nothing. */
import { describe, expect, it } from 'vitest';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { openLogin } from './login-page';
import { worldForFile } from './world';

const world = await worldForFile();

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
