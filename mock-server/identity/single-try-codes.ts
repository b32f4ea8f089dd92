/**
 * An authorization code gets one try: when its exchange fails (a wrong PKCE verifier, a wrong redirect URI), the
 * code is destroyed, so whoever sent the wrong verifier cannot keep guessing and the code cannot be redeemed later.
 * Only codes of the client that authenticated are touched, so nobody can burn another client's code.
 */
import type Provider from 'oidc-provider';
import type { AfterPost } from './after-posts';

export function burnCodeOfFailedExchange(provider: Provider): AfterPost {
  return (ctx) => {
    const params = ctx.oidc?.params;
    if (ctx.oidc?.route !== 'token' || params?.grant_type !== 'authorization_code') return undefined;
    if (ctx.status !== 400 || (ctx.body as { error?: unknown } | undefined)?.error !== 'invalid_grant')
      return undefined;
    if (typeof params.code !== 'string') return undefined;
    const clientId = ctx.oidc.client?.clientId;
    return provider.AuthorizationCode.find(params.code, { ignoreExpiration: true }).then(async (code) => {
      if (code && code.clientId === clientId) await code.destroy();
    });
  };
}
