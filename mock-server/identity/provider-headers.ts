/**
 * oidc-provider's own responses carry the same page headers as ours: its form_post auto-submit page, the logout
 * confirmation and its error page get our CSP (no framing, no plugins, no base), nosniff and our Referrer-Policy.
 *
 * The CSP is set before the provider runs, with `script-src 'none'`: oidc-provider adds the hash of the one inline
 * script it writes (form_post's auto-submit) to an existing `script-src`, so that script alone may run.
 */
import type Provider from 'oidc-provider';
import { PAGE_HEADERS } from '../html';

const PAGE_CSP = `${PAGE_HEADERS['Content-Security-Policy']}; script-src 'none'`;

export function withPageHeaders(provider: Provider): void {
  provider.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', PAGE_HEADERS['Referrer-Policy']!);
    await next();
    // Read from Node's response: Koa's `response.get` copies every header first (`getHeaders()`) on each call.
    const csp = ctx.res.getHeader('Content-Security-Policy');
    // Most answers keep the policy as set (the same string): only a changed one is looked into.
    if (csp === PAGE_CSP || typeof csp !== 'string') return;
    // 'none' must stand alone in a source list; with a hash added, the hash is the whole list.
    if (csp.includes("script-src 'none' 'sha256-")) {
      ctx.set('Content-Security-Policy', csp.replace("script-src 'none' ", 'script-src '));
    }
  });
}
