import { describe, expect, it } from 'vitest';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { continueWithTwilio } from './products';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

/** The heading, main text, links and small print of an error page. */
function parts(html: string) {
  const text = (fragment: string | undefined) => (fragment ?? '').replace(/<[^>]+>/g, '').trim();
  return {
    heading: text(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1]),
    message: text(/<\/h1><p>([\s\S]*?)<\/p>/.exec(html)?.[1]),
    links: [...html.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => `${match[2]} → ${match[1]}`),
    smallPrint: text(/<small>([\s\S]*?)<\/small>/.exec(html)?.[1]),
  };
}

describe('error pages', () => {
  it('answer a GET of a form-only address with 405, Allow: POST and where the form is', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const cases = [
      [
        `${world.urls.login}/setup/segment/link`,
        'This address only takes a form. Open the set-up page from the product switcher to continue.',
      ],
      [
        `${world.urls.login}/setup/sendgrid/request-access`,
        'This address only takes a form. Open the set-up page from the product switcher to continue.',
      ],
      [
        `${world.urls.segment}/sign-out`,
        'This address only takes a form. Use the Sign out button in the navigation bar.',
      ],
      [
        `${world.urls.console}/sign-out`,
        'This address only takes a form. Use the Sign out button in the navigation bar.',
      ],
    ] as const;
    for (const [url, message] of cases) {
      const response = await browser.request(url);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const page = parts(await response.text());
      expect(page.heading).toBe('This address takes a form');
      expect(page.message).toBe(message);
      expect(page.smallPrint).toBe('Error code: method_not_allowed');
    }
  });

  it('say plainly that there is nothing at an unknown address, and offer the home page rather than "Try again"', async () => {
    const response = await new HeadlessBrowser().request(`${world.urls.segment}/no-such-page`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(parts(html)).toEqual({
      heading: 'Nothing here',
      message: 'There is no page here.',
      links: ['Go to the home page → /'],
      smallPrint: 'Error code: not_found',
    });
    expect(html).not.toContain('That did not work');
    expect(html).not.toContain('Try again');
  });

  it("link the Console's home from the login host too (its own / leads there)", async () => {
    const response = await new HeadlessBrowser().request(`${world.urls.login}/dev/no-such-page`);
    expect(response.status).toBe(404);
    expect(parts(await response.text())).toEqual({
      heading: 'Nothing here',
      message: 'There is no page here.',
      links: [`Go to the home page → ${world.urls.console}/`],
      smallPrint: 'Error code: not_found',
    });
    // The API answers JSON, without a page.
    const api = await new HeadlessBrowser().request(`${world.urls.login}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'not_found', error_description: 'No such API endpoint.' });
  });

  it('offer to start again where that can succeed (an expired form)', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const response = await browser.request(`${world.urls.segment}/settings/timezone`, { form: { csrf: 'stale' } });
    expect(response.status).toBe(403);
    expect(parts(await response.text())).toEqual({
      heading: 'This page has expired',
      message: 'The form has expired. Reload the page and try again.',
      links: ['Start again → /'],
      smallPrint: 'Error code: csrf_token_invalid',
    });
  });
});
