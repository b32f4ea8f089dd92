/**
 * Whether the login-redirect notice continues to the Twilio login on its own after its countdown, kept in
 * `storage.local` beside the world port. On unless the person turns it off on the options page: WCAG 2.2.1 wants a
 * time limit the person can turn off before meeting it.
 */
import type { SettingsArea } from './world-settings';

export const AUTO_CONTINUE_KEY = 'loginRedirectAutoContinue';

/** The stored choice; on when none (or a corrupt value) is stored, so only an explicit "off" turns it off. */
export async function loadAutoContinue(area: SettingsArea): Promise<boolean> {
  return (await area.get(AUTO_CONTINUE_KEY))[AUTO_CONTINUE_KEY] !== false;
}

export async function saveAutoContinue(area: SettingsArea, on: boolean): Promise<void> {
  await area.set({ [AUTO_CONTINUE_KEY]: on });
}
