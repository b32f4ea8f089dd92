/**
 * An authorization code gets one try: when its exchange fails (a wrong PKCE verifier, a wrong redirect URI), the
 * code is destroyed, so whoever sent the wrong verifier cannot keep guessing and the code cannot be redeemed later.
 * Only codes of the client that authenticated are touched, so nobody can burn another client's code.
 */
import type { KoaContextWithOIDC, default as Provider } from 'oidc-provider';

export function burnCodesOnFailedExchange(provider: Provider): void {
  // Only a POST can be a code exchange: everything else passes without an extra step after the provider.
  provider.use((ctx, next) => (ctx.method === 'POST' ? burnIfFailed(ctx as KoaContextWithOIDC, next) : next()));

  async function burnIfFailed(ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> {
    await next();
    const params = ctx.oidc?.params;
    if (ctx.oidc?.route !== 'token' || params?.grant_type !== 'authorization_code') return;
    if (ctx.status !== 400 || (ctx.body as { error?: unknown } | undefined)?.error !== 'invalid_grant') return;
    if (typeof params.code !== 'string') return;
    const code = await provider.AuthorizationCode.find(params.code, { ignoreExpiration: true });
    if (code && code.clientId === ctx.oidc.client?.clientId) await code.destroy();
  }
}
