import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { ACME_SCIM_APP } from '../../mock-server/seed';
import { openPopup, signInFromPopup } from '../../scripts/lib/journeys';
import { type Stage, startStage } from './world';

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

/** Acme's provisioning client deactivates a user, as Okta does: PATCH `active: false` with a client-credentials token. */
async function deactivateByScim(s: Stage, userId: string): Promise<number> {
  const config = await oidc.discovery(
    new URL(s.world.issuer),
    ACME_SCIM_APP.clientId,
    {},
    oidc.ClientSecretBasic(ACME_SCIM_APP.clientSecret),
    {
      execute: [oidc.allowInsecureRequests],
      [oidc.customFetch]: (url, init) => localhostFetch(url, init as RequestInit),
    },
  );
  const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'scim' });
  const response = await localhostFetch(`${s.world.issuer}/scim/v2/Users/${userId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    }),
  });
  return response.status;
}

describe('deprovisioning', () => {
  it("ida's SCIM client deactivates sam: his open Segment tab and the popup show him signed out", async () => {
    stage = await startStage();
    const s = stage;
    const { world } = s;
    const sam = world.users.findByEmail('sam@acme.test')!;
    // sam signs in through Acme's identity provider; here he is given a password so the journey can use the
    // Twilio login's password step instead.
    world.db
      .prepare('UPDATE users SET password_hash = ? WHERE id = ?')
      .run(await hashPassword('demo-pass-2026'), sam.id);
    // His Segment user (as the switcher's "create a free Segment user" would leave it).
    const segmentUser = world.products.segment.users.create({ email: sam.email, name: sam.name, twilioSub: sam.id });
    const workspace = world.products.segment.createWorkspace("Sam's Workspace");
    world.products.segment.addMember(workspace.id, segmentUser.id, 'Owner');

    const { context, extensionOrigin } = s.browser;
    const popup = await openPopup(context, extensionOrigin);
    await signInFromPopup(context, popup, sam.email);
    await popup.getByText('sam@acme.test').waitFor();

    const segment = await context.newPage();
    await segment.goto(`${world.urls.segment}/login/twilio`);
    await segment.waitForURL(`${world.urls.segment}/workspaces/**`);
    expect(await segment.getByRole('heading', { level: 1 }).textContent()).toContain("Sam's Workspace");

    expect(await deactivateByScim(s, sam.id)).toBe(200);

    await segment.reload();
    await segment.waitForURL(`${world.urls.segment}/login**`);
    await segment.getByRole('button', { name: 'Sign in' }).waitFor();
    await popup.reload();
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor();
    expect(await popup.getByText('sam@acme.test').count()).toBe(0);
    // His Segment user and its role stay, unreachable.
    expect(world.products.segment.workspacesOf(segmentUser.id).map(({ role }) => role)).toEqual(['Owner']);
  });
});
