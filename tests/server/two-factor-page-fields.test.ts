import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { RecoveryCodes } from '../../mock-server/accounts/recovery-codes';
import { currentTotpCode } from '../../mock-server/accounts/totp';
import { consoleBrowser, freshUser, openPage } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

describe('the two-factor page with few recovery codes left', () => {
  it('gives each form its own password field, each label naming its own input', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const { user, credentials } = await freshUser(world, 'few-codes', { totpSecret: secret });
    const recoveryCodes = new RecoveryCodes(world.db, world.clock);
    const codes = recoveryCodes.regenerate(user.id);
    for (const code of codes.slice(0, 8)) expect(recoveryCodes.consume(user.id, code)).toBe(true);
    const browser = await consoleBrowser(world, {
      ...credentials,
      totp: () => currentTotpCode(secret, world.clock()),
    });

    const { html } = await openPage(world, browser, '/settings/two-factor');
    // Both the renew form (in the warning) and the turn-off form ask for the current password.
    expect(html).toContain('data-testid="recovery-codes-warning"');
    expect(html.match(/name="current_password"/g)).toHaveLength(2);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const labelled = [...html.matchAll(/<label for="([^"]+)">Current password<\/label>/g)].map((match) => match[1]);
    expect(labelled).toEqual(['renew-current-password', 'current-password']);
    expect(html).toContain('id="renew-current-password" name="current_password"');
    expect(html).toContain('aria-describedby="renew-current-password-hint"');
  });
});
