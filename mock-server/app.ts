/**
 * Builds the whole mock world — database, demo data, the Twilio IdP, the Console and the product sites — without
 * listening, so tests and the bench can create one in-process on a port of their choosing. `main.ts` listens.
 *
 * One HTTP server serves every site; requests are routed by their `Host` header, so each site keeps its own
 * cookies as twilio.com, segment.com and sendgrid.com do.
 */
import type { Server } from 'node:http';
import type Provider from 'oidc-provider';
import { HOSTS, PRODUCTS, type ProductId, type SetupProductId, type Site, siteOrigin } from '../contract/catalogue';
import { AccessRequests } from './access/access-requests';
import { EmailChangeLimits } from './accounts/email-change-limits';
import { LoginThrottle } from './accounts/login-throttle';
import { RecoveryCodes } from './accounts/recovery-codes';
import { UserStore } from './accounts/users';
import { createAcmeIdp, loadAcmeSigningIdentity } from './acme-idp/acme';
import type { AcmeDirectory } from './acme-idp/directory';
import type { AcmeIdentityProvider } from './acme-idp/identity-provider';
import { LogoutTokenVerifier, withBackchannelLogout } from './backchannel-logout';
import { limitRequestBodies, requestHost } from './body-limit';
import { consoleSite } from './console/site';
import { writeErrorResponse } from './error-response';
import { RequestError } from './errors';
import { serveFavicon } from './favicons';
import { bindPort, drainAndClose, serve } from './http-server';
import { allowedCorsOrigins, type ProductClient, productClients, supportClient } from './identity/clients';
import { loadDeviceCookies, productDevices, TWILIO_DEVICES } from './identity/device-cookies';
import { LoginSteps } from './identity/login-steps';
import { UnifiedLookup } from './identity/lookup';
import { createIdentityProvider } from './identity/provider';
import { loginSite } from './identity/site';
import { ProductSetups } from './linking/product-setups';
import { loadSetupCsrfKey } from './linking/twilio-session';
import { freePort, localhostFetch } from './net';
import type { NodeHandler } from './node-handler';
import { OrganizationAudit } from './organizations/audit';
import { DemoDns } from './organizations/demo-dns';
import { Deprovisioning } from './organizations/deprovisioning';
import { OrganizationStore } from './organizations/organizations';
import type { OrganizationStores } from './organizations/stores';
import { ProductSessions } from './products/product-sessions';
import type { ProductStores } from './products/product-stores';
import { ProductEmailChanges } from './products/settings/email-verification';
import { TwilioLoginOffers } from './products/twilio-login-offer';
import { RelyingParty } from './relying-party';
import type { SigningIdentity } from './saml/certificates';
import { MAX_SAML_FORM_BYTES } from './saml/xml-safety';
import { MAX_SCIM_BODY_BYTES } from './scim/discovery';
import { SCIM_BASE_PATH, withScim } from './scim/routes';
import { ScimApps } from './scim/scim-apps';
import { scimTooLargeAnswer } from './scim/scim-errors';
import { ScimGroups } from './scim/scim-groups';
import { ScimUsers } from './scim/scim-users';
import { DEMO_IDS, seedWorld } from './seed';
import { segmentSite } from './segment/site';
import { SegmentStore } from './segment/store';
import { sendgridSite } from './sendgrid/site';
import { SendGridStore } from './sendgrid/store';
import { SsoConnections } from './sso/connections';
import type { SsoRouteDeps } from './sso/routes';
import { SamlState } from './sso/saml-state';
import { serviceProviderUrls } from './sso/service-provider';
import { loadSpSigningIdentity } from './sso/sp-signing';
import { SsoDirectory } from './sso/sso-directory';
import { type Db, openDatabase, purgeExpired } from './storage/database';
import { endProductSessions, type LogoutClaims } from './storage/session-ends';
import type { WorldFile } from './world-file/schema';

export interface WorldOptions {
  /**
   * The port the world will listen on; the issuer names it, so it must be known now. 0 picks a free one
   * (`freePort`) and `world.port` tells which.
   */
  port: number;
  /** SQLite file path, or ':memory:'. */
  db: string;
  /** Start from an empty database (emptied under its lock) and reseed the demo world. */
  reset?: boolean;
  /** Seed a new database from this (checked) world file instead of the demo world. */
  world?: WorldFile;
  /** Milliseconds since the epoch; injected so tests move time instead of sleeping. Default `Date.now`. */
  clock?: () => number;
  /**
   * Email lookups allowed per minute, per IP and per email (default 60 and 20). Raised only for load tests
   * (`npm run bench`), which would otherwise measure the 429 path.
   */
  lookupLimitPerMinute?: number;
  /**
   * A server already listening on `port` (`bindPort`), so a start that fails on a busy port has done nothing else.
   * Without it, `listen()` binds one.
   */
  server?: Server;
}

export interface World {
  readonly port: number;
  /** Origin of each site, e.g. `urls.login` = `http://login.twilio.localhost:8787`. */
  readonly urls: Record<Site, string>;
  readonly issuer: string;
  readonly db: Db;
  readonly users: UserStore;
  /** Segment's and SendGrid's own data. */
  readonly products: ProductStores;
  /** Organizations (Acme), their verified domains and managed users; SCIM apps; the organization audit trail. */
  readonly organizations: OrganizationStores & { audit: OrganizationAudit; dns: DemoDns };
  /** First-time set-ups of products (link / create) and their audit trail. */
  readonly setups: ProductSetups;
  /** Requests for unified login during the limited release. */
  readonly accessRequests: AccessRequests;
  /** Organizations' SAML connections, and which emails sign in at which IdP. */
  readonly sso: { connections: SsoConnections; directory: SsoDirectory };
  /** The bundled Acme IdP (sso.acme.localhost): Acme's own identity system. */
  readonly acme: { idp: AcmeIdentityProvider; directory: AcmeDirectory };
  readonly provider: Provider;
  readonly clients: readonly ProductClient[];
  readonly clock: () => number;
  /** SCIM credentials generated at seeding for apps the world file gave no secret (shown once, at start-up). */
  readonly generatedScimCredentials: readonly { clientId: string; clientSecret: string }[];
  /** Binds 127.0.0.1:port (unless the world was given a bound server) and starts serving. */
  listen(): Promise<void>;
  /** Stops accepting, lets requests in flight finish (at most `DRAIN_TIMEOUT_MS`), then closes the database. */
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

/** The database and every domain's store, with the demo world (or the given world file) seeded. */
async function openStores(options: WorldOptions, clock: () => number) {
  const db = openDatabase(options.db, { reset: options.reset ?? false });
  const users = new UserStore(db, clock);
  const products: ProductStores = { segment: new SegmentStore(db, clock), sendgrid: new SendGridStore(db, clock) };
  const organizations = {
    organizations: new OrganizationStore(db, clock),
    scimApps: new ScimApps(db, clock),
    audit: new OrganizationAudit(db, clock),
    dns: new DemoDns(db, clock),
  };
  const ssoConnections = new SsoConnections(db, clock);
  const { generatedScimCredentials, bundledIdpConnections } = await seedWorld(
    db,
    { users, products, organizations, sso: ssoConnections },
    options.world,
  );
  /** Redirect-on-detected-email: one decision for the public lookup and the products' login pages. */
  const perMinute = options.lookupLimitPerMinute;
  const lookup = new UnifiedLookup(
    db,
    clock,
    perMinute
      ? { perIp: { limit: perMinute, windowMs: 60_000 }, perEmail: { limit: perMinute, windowMs: 60_000 } }
      : undefined,
  );
  return {
    db,
    users,
    products,
    organizations,
    setups: new ProductSetups(db, products.segment, products.sendgrid, clock),
    throttle: new LoginThrottle(db, clock),
    lookup,
    accessRequests: new AccessRequests(db, users, clock),
    sso: { connections: ssoConnections, directory: new SsoDirectory(organizations.organizations, ssoConnections) },
    generatedScimCredentials,
    bundledIdpConnections,
  };
}

type Stores = Awaited<ReturnType<typeof openStores>>;

interface SiteInputs extends Stores {
  port: number;
  clock: () => number;
  urls: Record<Site, string>;
  provider: Provider;
  clients: readonly ProductClient[];
  support: Awaited<ReturnType<typeof supportClient>>;
  acme: Awaited<ReturnType<typeof createAcmeIdp>>;
  spSigning: SigningIdentity;
}

/** Every site of the world, by host: the Twilio login, the Console, Segment and SendGrid. */
async function createSites(inputs: SiteInputs): Promise<Map<string, NodeHandler>> {
  const { db, users, products, organizations, setups, throttle, lookup, accessRequests } = inputs;
  const { port, clock, urls, provider } = inputs;
  const { clients, support, sso, acme } = inputs;

  const relyingParty = (productId: ProductId) => {
    const client = clients.find((candidate) => candidate.clientId === PRODUCTS[productId].clientId)!;
    return new RelyingParty({
      db,
      site: PRODUCTS[productId].site,
      port,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri: client.redirectUri,
      postLogoutRedirectUri: client.postLogoutRedirectUri,
      fetch: localhostFetch,
      clock,
      subjectActive: (sub) => users.findById(sub)?.active !== false,
    });
  };
  const emailChangeLimits = new EmailChangeLimits(clock);
  const productSiteDeps = async (productId: SetupProductId) => ({
    rp: relyingParty(productId),
    sessions: new ProductSessions(db, productId, clock),
    throttle,
    deviceCookies: await loadDeviceCookies(db, productDevices(productId)),
    twilioUsers: users,
    lookup,
    offers: new TwilioLoginOffers(db, productId, users, port, clock),
    emailChanges: new ProductEmailChanges(
      db,
      clock,
      productId,
      PRODUCTS[productId].name,
      products[productId].users,
      emailChangeLimits,
      organizations.organizations,
    ),
    db,
    clock,
    port,
  });

  /** Sign out everywhere: Segment's and SendGrid's back-channel logout ends their sessions of the Twilio user. */
  const productLogout = (productId: SetupProductId) => ({
    verifier: new LogoutTokenVerifier({ port, clientId: PRODUCTS[productId].clientId, fetch: localhostFetch }),
    endSessions: (claims: LogoutClaims) => endProductSessions(db, productId, claims),
  });

  const deprovisioning = new Deprovisioning(provider, db);
  const scimBaseUrl = `${urls.login}${SCIM_BASE_PATH}`;
  const scim = {
    provider,
    clock,
    baseUrl: scimBaseUrl,
    scimApps: organizations.scimApps,
    users: new ScimUsers({
      db,
      clock,
      organizations: organizations.organizations,
      audit: organizations.audit,
      deprovisioning,
      baseUrl: scimBaseUrl,
    }),
    groups: new ScimGroups({ db, clock, audit: organizations.audit, baseUrl: scimBaseUrl }),
  };

  const steps = new LoginSteps(db, clock);
  const ssoRoutes: SsoRouteDeps = {
    provider,
    users,
    steps,
    sso: sso.directory,
    samlState: new SamlState(db, clock),
    organizations: organizations.organizations,
    clock,
    loginOrigin: urls.login,
    consoleOrigin: urls.console,
    csrfKey: await loadSetupCsrfKey(db),
    spSigning: inputs.spSigning,
  };

  return new Map<string, NodeHandler>([
    [
      HOSTS.login,
      withScim(
        scim,
        loginSite({
          provider,
          users,
          clock,
          port,
          throttle,
          steps,
          loginOrigin: urls.login,
          corsOrigins: allowedCorsOrigins(port),
          products,
          setups,
          csrfKey: await loadSetupCsrfKey(db),
          db,
          recoveryCodes: new RecoveryCodes(db, clock),
          deviceCookies: await loadDeviceCookies(db, TWILIO_DEVICES),
          lookup,
          ssoRoutes,
          accessRequests,
          supportRp: new RelyingParty({
            db,
            site: 'login',
            port,
            ...support,
            fetch: localhostFetch,
            clock,
          }),
        }),
      ),
    ],
    [
      HOSTS.console,
      consoleSite({
        rp: relyingParty('console'),
        port,
        users,
        setups,
        db,
        provider,
        clock,
        organizations,
        products,
        accessRequests,
        sso: { connections: sso.connections },
        emailChangeLimits,
      }),
    ],
    [HOSTS.acme, acme.site],
    [
      HOSTS.segment,
      withBackchannelLogout(productLogout('segment'), segmentSite(products.segment, await productSiteDeps('segment'))),
    ],
    [
      HOSTS.sendgrid,
      withBackchannelLogout(
        productLogout('sendgrid'),
        sendgridSite(products.sendgrid, await productSiteDeps('sendgrid')),
      ),
    ],
  ]);
}

/** One request handler for every site, routing each request by its `Host` header; unknown hosts get 421. */
function hostRouter(sites: ReadonlyMap<string, NodeHandler>): NodeHandler {
  // SCIM clients send whole users and groups: their API (on the login host) has a larger limit, refused in SCIM's
  // error shape.
  const scimBodies = {
    host: HOSTS.login,
    prefix: SCIM_BASE_PATH,
    maxBytes: MAX_SCIM_BODY_BYTES,
    answer: scimTooLargeAnswer,
  };
  // An IdP's signed SAML response, POSTed by the browser to the SP's ACS (/saml/<organization>/acs on the login
  // host), is larger too. Other hosts keep the default limit on these paths: they serve nothing there.
  const samlBodies = { host: HOSTS.login, prefix: '/saml/', maxBytes: MAX_SAML_FORM_BYTES };
  return limitRequestBodies(
    (req, res) => {
      const host = requestHost(req);
      if (serveFavicon(host, req, res)) return;
      const site = sites.get(host);
      if (site) {
        site(req, res);
        return;
      }
      const refusal = new RequestError('misdirected_request', `No site is served at ${host}.`);
      writeErrorResponse(res, refusal, { method: req.method, path: req.url ?? '/' });
    },
    [scimBodies, samlBodies],
  );
}

/**
 * Listening (with the periodic purge of expired rows) and closing, once: closing drains the requests in flight
 * (at most `DRAIN_TIMEOUT_MS`) before the database closes.
 */
function lifecycle(
  handler: NodeHandler,
  bound: Server | undefined,
  db: Db,
  port: number,
): Pick<World, 'listen' | 'close'> {
  let server = bound;
  let purgeTimer: NodeJS.Timeout | undefined;
  let closed = false;
  return {
    listen: async () => {
      server ??= await bindPort(port);
      serve(server, handler);
      purgeTimer = setInterval(() => purgeExpired(db, Date.now()), PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (purgeTimer) clearInterval(purgeTimer);
      if (server) await drainAndClose(server);
      db.close();
    },
  };
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const port = options.port || (await freePort());
  const clock = options.clock ?? Date.now;
  const stores = await openStores(options, clock);
  const { db, users } = stores;
  const clients = await productClients(db, port);
  const support = await supportClient(db, port);
  const urls = Object.fromEntries(Object.keys(HOSTS).map((site) => [site, siteOrigin(site as Site, port)])) as Record<
    Site,
    string
  >;
  // A new world generates four keys (the provider's two, Twilio's SP's, Acme's): together, off the main thread.
  const [provider, spSigning, acmeSigning] = await Promise.all([
    createIdentityProvider({ port, db, users, clients, supportClient: support }),
    loadSpSigningIdentity(db, new URL(urls.login).hostname),
    loadAcmeSigningIdentity(db, urls.acme),
  ]);
  // After the world is seeded (demo world file or another): the Acme IdP connects to the organizations the world
  // file connects to it.
  const acmeSp = serviceProviderUrls(urls.login, DEMO_IDS.acme);
  const acme = await createAcmeIdp({
    db,
    identity: acmeSigning,
    clock,
    origin: urls.acme,
    throttle: stores.throttle,
    twilio: { entityId: acmeSp.entityId, acsUrl: acmeSp.acsUrl, signingCertificatePem: spSigning.certificatePem },
    connect: { connections: stores.sso.connections, organizations: stores.bundledIdpConnections },
  });
  const sites = await createSites({ ...stores, port, clock, urls, provider, clients, support, acme, spSigning });

  return {
    port,
    urls,
    issuer: urls.login,
    db,
    users,
    products: stores.products,
    organizations: stores.organizations,
    setups: stores.setups,
    accessRequests: stores.accessRequests,
    sso: stores.sso,
    acme: { idp: acme.idp, directory: acme.directory },
    provider,
    clients,
    clock,
    generatedScimCredentials: stores.generatedScimCredentials,
    ...lifecycle(hostRouter(sites), options.server, db, port),
  };
}
