// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../src/background/handlers';
import { createLookupService } from '../../../src/background/lookup';
import type { From } from '../../../src/background/router';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { ADA, createFakeIdp } from '../support/idp';

const POPUP: From = { kind: 'extension' };
const SEGMENT_LOGIN: From = { kind: 'content', product: 'segment', tabId: 7 };

describe('the reason the session ended', () => {
  it("is left for the popup by the Continue-as offer on Segment's login page", async () => {
    let endedElsewhere = false;
    const idp = await createFakeIdp({
      apiStatus: () => (endedElsewhere ? 401 : 200),
      sessionEnded: 'password_changed',
      refuseRefresh: true,
    });
    const { auth, products } = backgroundOver(idp);
    const lookup = createLookupService({ apiOrigin: ISSUER, fetch: idp.fetch, now: () => idp.now.value });
    const handlers = createHandlers({ auth, products, lookup });
    await auth.signIn();
    expect(await handlers.getContinueAs({}, SEGMENT_LOGIN)).toEqual({ name: ADA.name, email: ADA.email });

    endedElsewhere = true; // the password was changed in the Console; back-channel logout lands on Segment's login
    expect(await handlers.getSwitcherState({ recheck: true }, SEGMENT_LOGIN)).toEqual({ status: 'signed_out' });
    expect(await handlers.getContinueAs({}, SEGMENT_LOGIN)).toBeNull();
    expect(await handlers.getState({}, POPUP)).toEqual({ status: 'signed_out', ended: 'password_changed' });
    expect(await handlers.getState({}, POPUP)).toEqual({ status: 'signed_out' });
  });
});
