/**
 * What a product site is made of: the spec that tells Segment and SendGrid apart, the dependencies every product
 * site shares, and the paths other parts of the world link to.
 */
import type { HttpBindings } from '@hono/node-server';
import type { SetupProductId } from '../../../contract/catalogue';
import type { LoginThrottle } from '../../accounts/login-throttle';
import type { UserStore } from '../../accounts/users';
import type { SafeHtml } from '../../html';
import type { DeviceCookies } from '../../identity/device-cookies';
import type { UnifiedLookup } from '../../identity/lookup';
import type { RelyingParty } from '../../relying-party';
import type { Db } from '../../storage/database';
import type { ProductSessions } from '../product-sessions';
import type { LoginMethod, ProductUser, ProductUsers } from '../product-users';
import type { ProductEmailChanges } from '../settings/email-verification';
import type { TwilioLoginOffers } from '../twilio-login-offer';

export type ProductSiteEnv = { Bindings: HttpBindings };

/** A Segment workspace or a SendGrid account, as its member sees it. */
export interface ProductHome {
  id: string;
  name: string;
  role: string;
  plan: string;
}

export interface HomeView {
  user: ProductUser;
  home: ProductHome;
  homes: ProductHome[];
}

export interface ProductSiteSpec {
  product: SetupProductId;
  /** What a home is called: 'workspace' (Segment) or 'account' (SendGrid); its pages live under `/<noun>s/<id>`. */
  homeNoun: 'workspace' | 'account';
  users: ProductUsers;
  /** The user's homes, most recently visited first. */
  homesOf(userId: string): ProductHome[];
  markVisited(userId: string, homeId: string): void;
  /** Called once per login (Segment keeps a session history). */
  recordLogin?(userId: string, method: LoginMethod, userAgent: string, device: string): void;
  /** The main content of a home page, below its heading. */
  renderHome(view: HomeView): SafeHtml;
  /** Extra settings sections (Segment: session history). */
  renderSettingsExtra?(user: ProductUser): SafeHtml;
}

export interface ProductSiteDeps {
  rp: RelyingParty;
  sessions: ProductSessions;
  throttle: LoginThrottle;
  /** The product's own trusted devices, exempt from its account-wide lockout (identity/device-cookies.ts). */
  deviceCookies: DeviceCookies;
  /** Twilio users, to tell an ineligible Twilio login apart from one that only needs set-up. */
  twilioUsers: UserStore;
  /** Whether an email signs in with the Twilio login here: the same decision as the public lookup. */
  lookup: UnifiedLookup;
  /** "Use your Twilio login for …" after a password login (Segment users who are also eligible Twilio users). */
  offers: TwilioLoginOffers;
  /** Pending email changes of users who are not linked, verified by mail. */
  emailChanges: ProductEmailChanges;
  /** The world's database, for the dev mailbox. */
  db: Db;
  clock: () => number;
  port: number;
}
