import { describe, expect, it } from 'vitest';
import { type ErrorCode, ExtensionError } from '../../../contract/errors';
import { createPopupModel } from '../../../src/popup/model';
import { fakeBackground, SIGNED_IN } from './fixtures';

/** The alert after a failed sign-in whose background error has this code and this (log) message. */
async function signInFails(code: ErrorCode, message: string): Promise<string | null> {
  const model = createPopupModel(
    fakeBackground({
      signIn: () => {
        throw new ExtensionError(code, message);
      },
    }).send,
  );
  model.status.value = 'signed_out';
  await model.signIn();
  return model.error.value;
}

describe('the popup says what went wrong in words, not in HTTP statuses or token claims', () => {
  it('for a sign-in that failed', async () => {
    const incomplete = 'Signing in with Twilio did not complete. Please try again.';
    expect(await signInFails('sign_in_failed', 'The sign-in response has no authorization code.')).toBe(incomplete);
    expect(await signInFails('token_invalid', 'The ID token was issued to another party (azp).')).toBe(incomplete);
    expect(await signInFails('issuer_mismatch', 'The discovery document names another issuer.')).toBe(incomplete);
    expect(await signInFails('state_mismatch', 'The sign-in response does not belong to this sign-in.')).toBe(
      incomplete,
    );
    expect(await signInFails('server', 'Discovery failed with HTTP 502.')).toBe(
      'The Twilio login answered with an error. Try again in a moment.',
    );
    expect(await signInFails('internal', 'The extension background gave no answer.')).toBe(
      'Something went wrong in the extension. Please try again.',
    );
  });

  it('for a refresh the API answered with an error', async () => {
    const model = createPopupModel(
      fakeBackground({
        getState: () => SIGNED_IN,
        refreshProducts: () => {
          throw new ExtensionError('server', '/api/products answered HTTP 500.');
        },
      }).send,
    );
    await model.load();
    expect(model.error.value).toBe('The Twilio login answered with an error. Try again in a moment.');
  });

  it('for "Sign out of Twilio" that did not happen: still signed in everywhere', async () => {
    const fails = (code: ErrorCode, message: string) =>
      createPopupModel(
        fakeBackground({
          signOutEverywhere: () => {
            throw new ExtensionError(code, message);
          },
        }).send,
      );
    const offline = fails('network', 'Twilio did not sign you out: The Twilio login could not be reached. …');
    await offline.signOutEverywhere();
    expect(offline.error.value).toBe(
      'Twilio did not sign you out: the Twilio login could not be reached. You are still signed in everywhere; try again.',
    );
    const refused = fails('server', 'Twilio did not sign you out: /api/sign-out answered HTTP 500. …');
    await refused.signOutEverywhere();
    expect(refused.error.value).toBe(
      'Twilio did not sign you out: the Twilio login answered with an error. You are still signed in everywhere; try again.',
    );
  });
});
