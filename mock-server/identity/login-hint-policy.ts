/**
 * A `login_hint` for someone else never signs in silently as the session's user (issue 4, docs/architecture.md, "Trust model").
 *
 * Redirect-on-detected-email sends a product's user to the Twilio login with their email as `login_hint`. If this
 * browser is already signed in to Twilio as another person (a shared computer, a second account), oidc-provider
 * would resume that session and hand the product a code for the wrong user. The login prompt therefore gets one
 * more check: when the hint normalises to an email other than the session account's, show the login page
 * (pre-filled with the hint) instead. Right after a login in this same interaction the check passes, so a user who
 * deliberately signs in as someone else is not asked again.
 */

import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { normaliseEmail } from '../../contract/email';
import type { UserStore } from '../accounts/users';

const { Check, base } = interactionPolicy;

/** Whether the request's `login_hint` names someone other than the signed-in account. */
export function hintNamesAnotherUser(ctx: KoaContextWithOIDC, users: UserStore): boolean {
  const { oidc } = ctx;
  const hint = oidc.params?.login_hint;
  const accountId = oidc.session?.accountId;
  if (typeof hint !== 'string' || !hint.trim() || !accountId || oidc.result?.login) return false;
  const account = users.findById(accountId);
  return !account || normaliseEmail(hint) !== account.email;
}

/** oidc-provider's default policy, with the login prompt also requested for a `login_hint` of another user. */
export function interactionPolicyFor(users: UserStore): interactionPolicy.DefaultPolicy {
  const policy = base();
  policy
    .get('login')!
    .checks.add(
      new Check(
        'login_hint_mismatch',
        'login_hint names another user than the signed-in one',
        'login_required',
        (ctx) => (hintNamesAnotherUser(ctx, users) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT),
      ),
    );
  return policy;
}
