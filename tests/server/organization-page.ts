/** Acme admins and members with Twilio passwords, and the inline refusals of the Console's organization page. */
import { expect } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import type { OrganizationRole } from '../../mock-server/accounts/users';
import { DEMO_IDS } from '../../mock-server/seed';
import { consoleBrowser } from './settings';
import type { TestWorld } from './world';

const PASSWORD = 'org-page-pass-2026';
let counter = 0;

/**
 * A new Acme member (or admin) with a Twilio password, signed in to the Console. (ida, Acme's demo admin, signs
 * in only through Acme's identity provider; these use the password step, so Acme must not enforce SSO.)
 */
export async function acmeConsoleUser(world: TestWorld, role: OrganizationRole, prefix = 'acme') {
  counter += 1;
  const email = `${prefix}-${role}${counter}@acme.test`;
  const user = world.users.create({ email, name: `Acme ${role}`, passwordHash: await hashPassword(PASSWORD) });
  world.organizations.organizations.addMember(DEMO_IDS.acme, user.id, role);
  return { user, browser: await consoleBrowser(world, { email, password: PASSWORD }) };
}

/** Asserts a form refused on the page itself: its status, its message and code beside the form, what was typed. */
export async function expectInlineRefusal(
  response: Response,
  refusal: { status: number; errorId: string; code: string; message: string; typed?: string },
): Promise<string> {
  const page = await response.text();
  expect(response.status).toBe(refusal.status);
  expect(page).toContain(
    `<div class="alert" role="alert" id="${refusal.errorId}" data-error-code="${refusal.code}">${refusal.message}</div>`,
  );
  if (refusal.typed !== undefined) {
    expect(page).toContain(`value="${refusal.typed}" aria-invalid="true" aria-describedby="${refusal.errorId}"`);
  }
  return page;
}
