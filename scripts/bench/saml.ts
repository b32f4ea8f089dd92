/**
 * SAML ACS throughput: how many SSO sign-ins (verify the signed response, then log in: ticket, interaction
 * result, authorization code) the server completes per CPU-second of its process. The SP-initiated starts are
 * prepared first and the IdP's responses signed in this process, so the measured server CPU is the ACS's alone.
 * The world runs with a database file here, so this process can read the Acme IdP's signing key from it.
 */
import { inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { EXTENSION_REDIRECT_URI, HOSTS } from '../../contract/catalogue';
import { buildResponse, signResponse } from '../../mock-server/acme-idp/saml-response';
import type { SigningIdentity } from '../../mock-server/saml/certificates';
import { DEMO_IDS } from '../../mock-server/seed';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
import { csrfTokenIn, HeadlessBrowser, idpUrlForEmail } from '../lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../lib/oidc-clients';
import { postToAcs } from '../lib/saml-browser';
import { cpuSeconds } from './server';

interface Prepared {
  browser: HeadlessBrowser;
  samlResponse: string;
}

/** The Acme IdP's signing identity, read while no server holds the file (a running server locks it exclusively). */
export function readAcmeSigningIdentity(dbPath: string): SigningIdentity {
  const db = new Database(dbPath, { readonly: true });
  const row = db.prepare("SELECT value FROM secrets WHERE name = 'acme-idp-signing-identity'").get() as {
    value: string;
  };
  db.close();
  return JSON.parse(row.value) as SigningIdentity;
}

export async function samlAcsRate(
  port: number,
  serverPid: number,
  identity: SigningIdentity,
  total = 80,
  concurrency = 6,
) {
  const login = `http://${HOSTS.login}:${port}`;
  const acme = `http://${HOSTS.acme}:${port}`;
  const sp = serviceProviderUrls(login, DEMO_IDS.acme);
  const config = await extensionClient({ issuer: login });

  async function prepare(): Promise<Prepared> {
    const browser = new HeadlessBrowser();
    const { url: authorize } = await extensionAuthorization(config);
    const emailStep = await browser.follow(authorize);
    const html = await emailStep.response!.text();
    const idpUrl = await idpUrlForEmail(browser, emailStep.url, csrfTokenIn(html), 'sam@acme.test');
    const request = idpUrl.searchParams.get('SAMLRequest')!;
    const requestId = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(request, 'base64')).toString())![1]!;
    const xml = buildResponse({
      issuer: `${acme}/saml/metadata`,
      acsUrl: sp.acsUrl,
      audience: sp.entityId,
      nameId: 'sam@acme.test',
      inResponseTo: requestId,
      now: Date.now(),
    });
    return { browser, samlResponse: Buffer.from(signResponse(xml, identity)).toString('base64') };
  }

  async function complete({ browser, samlResponse }: Prepared): Promise<void> {
    const atAcs = await postToAcs(browser, sp.acsUrl, samlResponse, acme);
    if (atAcs.status !== 303) throw new Error(`ACS answered ${atAcs.status}`);
    const { url } = await browser.follow(new URL(atAcs.headers.get('location')!, sp.acsUrl), {
      stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI),
    });
    if (!url.searchParams.get('code')) throw new Error(`no code after the ACS: ${url.href}`);
  }

  await complete(await prepare()); // warm-up
  const prepared: Prepared[] = [];
  for (let i = 0; i < total; i += 1) prepared.push(await prepare());
  let next = 0;
  const cpuBefore = cpuSeconds(serverPid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await complete(prepared[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(serverPid) - cpuBefore;
  return {
    signIns: total,
    concurrency,
    acsPerSecond: Math.round((total / seconds) * 10) / 10,
    serverCpuSecondsPerAcs: Math.round((serverCpu / total) * 10000) / 10000,
    acsPerServerCpuSecond: Math.round((total / serverCpu) * 10) / 10,
  };
}
