/**
 * oidc-provider's own responses carry the same page headers as ours: its form_post auto-submit page, the logout
 * confirmation and its error page get our CSP (no framing, no plugins, no base), nosniff and our Referrer-Policy;
 * its JSON-only endpoints get nosniff and the Referrer-Policy.
 *
 * The CSP is set before the provider runs, with `script-src 'none'`: oidc-provider adds the hash of the one inline
 * script it writes (an auto-submitting form's) to an existing `script-src`, so that script alone may run. Where it
 * can, the 'none' is then taken out; elsewhere it would only earn a console warning (browsers ignore a 'none' that
 * has company), and the same one script runs.
 */
import type { ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { PAGE_HEADERS } from '../html';

const PAGE_CSP = `${PAGE_HEADERS['Content-Security-Policy']}; script-src 'none'`;

export function withPageHeaders(provider: Provider): void {
  // Only these answer with an auto-submitting form (form_post; the logout without a session), at or below them.
  // The provider's router ignores case (and a trailing slash), so the test does too.
  const withForms = [provider.pathFor('authorization'), provider.pathFor('end_session')].map((path) =>
    path.toLowerCase(),
  );
  const mayAddScriptHash = (path: string) => {
    const lower = path.toLowerCase();
    return withForms.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
  };
  // Endpoints that answer JSON (or a JWT) only, never a document: a CSP governs documents, so they go without it,
  // and they are the world's hottest answers (discovery, the token endpoint). A path in another case than the
  // router's gets the page headers, which is never less safe.
  const jsonOnly = new Set([
    '/.well-known/openid-configuration',
    ...(['jwks', 'token', 'introspection', 'revocation', 'userinfo'] as const).map((route) => provider.pathFor(route)),
  ]);
  provider.use((ctx, next) => {
    // Straight onto Node's response: every answer of the provider passes here, and Koa's `ctx.set` costs more.
    const { res, path } = ctx;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', PAGE_HEADERS['Referrer-Policy']!);
    if (jsonOnly.has(path)) return next();
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    // The others pass straight through: no step after them, no extra promise.
    return mayAddScriptHash(path) ? next().then(() => withScriptHashAlone(res)) : next();
  });
}

/** 'none' must stand alone in a source list: with a hash added, the hash is the whole list. */
function withScriptHashAlone(res: ServerResponse): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string' && csp.includes("script-src 'none' 'sha256-")) {
    res.setHeader('Content-Security-Policy', csp.replace("script-src 'none' ", 'script-src '));
  }
}
