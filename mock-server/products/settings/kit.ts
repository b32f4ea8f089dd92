/**
 * What every route of a product's settings shares: the signed-in user and checked form of a POST, where a refusal
 * is shown (the page again, its alert in its section), the "managed in the Console" refusal for linked users, and
 * the throttled current-password check.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../../contract/api';
import { PRODUCTS, siteOrigin } from '../../../contract/catalogue';
import { ipKey, productAccountKey, reauthKey } from '../../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { showRefusalsOn } from '../../error-response';
import { ProductSettingsError } from '../../errors';
import { html, PRODUCT_PAGE_HEADERS, type SafeHtml } from '../../html';
import { seeOther } from '../../responses';
import { clientAddress, readForm } from '../../security';
import type { ProductSession } from '../product-sessions';
import type { ProductUser } from '../product-users';
import type { ProductSiteDeps, ProductSiteSpec } from '../site/spec';
import { consoleSettingsLinks, settingsPageOf } from './page';

export type ProductSettingsEnv = { Bindings: HttpBindings };
type Signed = { session: ProductSession; user: ProductUser };
export type SettingsPost = Signed & { form: Record<string, string> };

export interface ProductSettingsInput {
  spec: ProductSiteSpec;
  deps: ProductSiteDeps;
  /** The product's navigation bar. */
  nav(user: ProductUser, session: ProductSession): SafeHtml;
  /** The signed-in user of this request, or undefined. */
  signedIn(c: Context<ProductSettingsEnv>): Signed | undefined;
}

export type ProductSettingsKit = ReturnType<typeof productSettingsKit>;

export function productSettingsKit({ spec, deps, nav, signedIn }: ProductSettingsInput) {
  const { sessions, throttle, port } = deps;
  const product = PRODUCTS[spec.product];
  const consoleLinks = consoleSettingsLinks(port);
  const settingsPage = settingsPageOf(spec, port, nav);
  /** To the product's sign-in, then back to `next` (the settings page unless told). */
  const toSignIn = (c: Context, next = '/settings') =>
    seeOther(c, `${PRODUCT_LOGIN_PATH}?${new URLSearchParams({ next })}`);

  return {
    spec,
    deps,
    /** `http://<product host>:<port>`, for the links in mail. */
    origin: siteOrigin(spec.product, port),
    sessions,
    product,
    settingsPage,
    /** The product's navigation bar, for its settings pages. */
    nav,
    signedIn,
    toSignIn,

    /** The signed-in user and the POST's form, its CSRF token checked; or a redirect to sign in. */
    async checkedPost(c: Context<ProductSettingsEnv>): Promise<SettingsPost | { redirect: Response }> {
      const form = await readForm(c.req.raw);
      const current = signedIn(c);
      if (!current) return { redirect: toSignIn(c) };
      sessions.assertCsrf(current.session, form.csrf);
      return { ...current, form };
    },

    /** From here on, a refusal shows the settings page again, its alert in its section, keeping what was typed. */
    showRefusalsOn(c: Context<ProductSettingsEnv>, current: SettingsPost): void {
      showRefusalsOn(c, (error) => {
        if (!(error instanceof ProductSettingsError)) return undefined;
        const values = { new_email: current.form.new_email ?? '', timezone: current.form.timezone ?? '' };
        const body = settingsPage(current.user, current.session, { refusal: error, values });
        return { body, headers: PRODUCT_PAGE_HEADERS };
      });
    },

    /** A linked user's email and password are the Twilio login's: no product page changes them. */
    refuseIfLinked(user: ProductUser, what: 'email' | 'password'): void {
      if (!user.twilioSub) return;
      const description = `Your ${what} is your Twilio login's and is managed in your Twilio Console, not in ${product.name}.`;
      throw new ProductSettingsError('managed', 'managed_in_console', description, {
        alert: html`${description}
<a href="${what === 'email' ? consoleLinks.email : consoleLinks.password}">Change ${what} in the Twilio Console</a>`,
      });
    },

    /**
     * The current password of a user who is not linked. A wrong one counts as a failed login of the product
     * account too, but only the user's own re-authentication counter and the IP refuse (429 + Retry-After before
     * any hashing): a stranger's wrong logins never lock a signed-in user out of their settings.
     */
    async checkCurrentPassword(
      c: Context<ProductSettingsEnv>,
      user: ProductUser,
      section: 'email' | 'password',
      password: string | undefined,
    ): Promise<void> {
      if (!password) {
        const description = 'Enter your current password to make this change.';
        throw new ProductSettingsError(section, 'reauthentication_required', description);
      }
      if (password.length > MAX_PASSWORD_LENGTH) {
        throw new ProductSettingsError(section, 'password_too_long', 'That password is too long.');
      }
      const keys = [reauthKey(spec.product, user.id), ipKey(clientAddress(c.env.incoming))] as const;
      const alsoCounts = [productAccountKey(spec.product, user.email)];
      if (!(await throttle.checkCredential(keys, () => verifyPassword(user.passwordHash, password), { alsoCounts }))) {
        throw new ProductSettingsError(section, 'wrong_password', 'Your current password is not correct.');
      }
    },
  };
}
