/**
 * Who may introspect or revoke a token (RFC 7662 §4, RFC 7009 §2.1): only the client it was issued to. Another
 * client's token looks like an unknown one — introspection answers `{"active":false}`, revocation 200 without
 * effect — so neither endpoint tells a client whether someone else's token exists.
 */
import type { Client, KoaContextWithOIDC } from 'oidc-provider';

interface IssuedToken {
  clientId?: string | undefined;
}

export async function onlyOwnTokens(_ctx: KoaContextWithOIDC, client: Client, token: IssuedToken): Promise<boolean> {
  return token.clientId === client.clientId;
}
