/**
 * What runs after oidc-provider has answered a POST (a failed code exchange burns its code, a confirmed sign-out
 * revokes the extension's grant), as one Koa step for all of them: every answer of the provider passes through each
 * step, and a GET — discovery, JWKS, the authorization endpoint — passes this one straight through.
 */
import type { KoaContextWithOIDC, default as Provider } from 'oidc-provider';

/** Looks at the answered POST; returns a promise only when it has work to wait for. */
export type AfterPost = (ctx: KoaContextWithOIDC) => Promise<unknown> | undefined;

export function afterProviderPosts(provider: Provider, checks: readonly AfterPost[]): void {
  async function afterwards(ctx: KoaContextWithOIDC): Promise<void> {
    for (const check of checks) {
      const work = check(ctx);
      if (work) await work;
    }
  }
  provider.use((ctx, next) =>
    ctx.method === 'POST' ? next().then(() => afterwards(ctx as KoaContextWithOIDC)) : next(),
  );
}
