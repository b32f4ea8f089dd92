/** Helpers for the settings pages of Segment and SendGrid in a test world, driven like a browser. */
import { expect } from 'vitest';
import { csrfTokenIn, type HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { newProductUser, type ProductSite, productPasswordLogin } from './products';
import { decodeEntities } from './settings';
import type { TestWorld } from './world';

export function productSettings(world: TestWorld) {
  /** A browser's product settings page (200) with its CSRF token. */
  async function settingsOf(browser: HeadlessBrowser, product: ProductSite, query = '') {
    const response = await browser.request(`${world.urls[product]}/settings${query}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    return { html, text: decodeEntities(html), csrf: csrfTokenIn(html) };
  }

  /** POSTs a product settings form with the page's CSRF token (unless `csrf` is given, `''` for none). */
  async function post(
    browser: HeadlessBrowser,
    product: ProductSite,
    path: string,
    fields: Record<string, string>,
    { csrf, headers = {} }: { csrf?: string; headers?: Record<string, string> } = {},
  ) {
    const token = csrf ?? (await settingsOf(browser, product)).csrf;
    const response = await browser.request(`${world.urls[product]}${path}`, {
      form: token ? { csrf: token, ...fields } : fields,
      headers,
    });
    return { response, text: response.status === 303 ? '' : decodeEntities(await response.text()) };
  }

  /** A user of its own on `product`, not linked to Twilio, signed in with its password. */
  async function freshProductUser(product: ProductSite, prefix: string) {
    const { user, credentials } = await newProductUser(world, product, prefix);
    const { browser, response } = await productPasswordLogin(world, product, credentials);
    expect(response.status).toBe(303);
    return { user, credentials, browser };
  }

  /** Opens a product's email verification link and confirms it, as the signed-in `browser`. */
  async function confirmProductLink(browser: HeadlessBrowser, link: string) {
    const shown = await browser.request(link);
    const html = decodeEntities(await shown.text());
    if (shown.status !== 200) return { status: shown.status, html, location: null };
    const token = new URL(link).searchParams.get('token')!;
    const response = await browser.request(`${new URL(link).origin}/settings/email/verify`, {
      form: { csrf: csrfTokenIn(html), token },
    });
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: response.status === 303 ? '' : decodeEntities(await response.text()),
    };
  }

  return { settingsOf, post, freshProductUser, confirmProductLink };
}
