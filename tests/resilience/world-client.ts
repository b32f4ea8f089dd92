/** Drives a world served by another process (`startServer`) like a browser: sign-in and first-time set-ups. */
import Database from 'better-sqlite3';
import { siteOrigin } from '../../contract/catalogue';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { createWorld } from '../../mock-server/app';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';

export const PASSWORD = 'demo-pass-2026';
export const SEGMENT_PASSWORD = 'segment-pass-2026';

export type SetupKind = 'link-segment' | 'create-segment' | 'create-sendgrid';

export interface Person {
  email: string;
  kind: SetupKind;
}

/**
 * A world database at `path` with `count` extra Twilio users (password `demo-pass-2026`), a third of them with an
 * unlinked Segment user of the same email to link, a third to create Segment, a third to create SendGrid.
 */
export async function worldWithPeople(path: string, count: number, prefix: string): Promise<Person[]> {
  const world = await createWorld({ port: 1, db: path });
  const passwordHash = await hashPassword(PASSWORD);
  const segmentHash = await hashPassword(SEGMENT_PASSWORD);
  const kinds: SetupKind[] = ['link-segment', 'create-segment', 'create-sendgrid'];
  const people = Array.from({ length: count }, (_, i) => ({
    email: `${prefix}-${i}@resilience.example`,
    kind: kinds[i % kinds.length]!,
  }));
  world.db.transaction(() => {
    for (const person of people) {
      world.users.create({ email: person.email, name: `Person ${person.email}`, passwordHash });
      if (person.kind === 'link-segment') {
        world.products.segment.users.create({ email: person.email, name: 'Segment self', passwordHash: segmentHash });
      }
    }
  })();
  await world.close();
  return people;
}

/**
 * Signs `person` in through the product's "Continue with Twilio", and does their set-up. Resolves true when the
 * world acknowledged it (the 303 into the product), false for any other answer; rejects when the connection dies.
 */
export async function setUp(port: number, person: Person): Promise<boolean> {
  const product = person.kind === 'create-sendgrid' ? 'sendgrid' : 'segment';
  const productOrigin = siteOrigin(product, port);
  const loginOrigin = siteOrigin('login', port);
  const browser = new HeadlessBrowser();
  const callback = await completeLogin(browser, `${productOrigin}/login/twilio`, `${productOrigin}/callback`, {
    email: person.email,
    password: PASSWORD,
  });
  await (await browser.request(callback)).body?.cancel();
  const page = await browser.request(`${loginOrigin}/setup/${product}`);
  const csrf = csrfTokenIn(await page.text());
  const response =
    person.kind === 'link-segment'
      ? await browser.request(`${loginOrigin}/setup/segment/link`, { form: { csrf, password: SEGMENT_PASSWORD } })
      : await browser.request(`${loginOrigin}/setup/${product}/create`, {
          form: { csrf, [product === 'segment' ? 'workspace' : 'account']: `Team ${person.email}` },
        });
  await response.body?.cancel();
  return response.status === 303 && (response.headers.get('location') ?? '').startsWith(productOrigin);
}

/** What a database holds after the fact: each person's set-up, and every kind of half-done state. */
export function inspect(path: string, people: readonly Person[]) {
  const db = new Database(path, { readonly: true });
  try {
    const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    const setUpDone = (person: Person) => {
      const product = person.kind === 'create-sendgrid' ? 'sendgrid' : 'segment';
      const sub = (db.prepare('SELECT id FROM users WHERE email = ?').get(person.email) as { id: string }).id;
      const linked = count(`SELECT COUNT(*) AS n FROM ${product}_users WHERE twilio_sub = ?`, sub);
      const audited = count(
        'SELECT COUNT(*) AS n FROM product_setups WHERE twilio_sub = ? AND product = ?',
        sub,
        product,
      );
      return linked === 1 && audited === 1;
    };
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      done: people.filter(setUpDone).map((person) => person.email),
      halfDone: {
        linkWithoutAuditEvent:
          count(`SELECT COUNT(*) AS n FROM segment_users u WHERE u.twilio_sub IS NOT NULL AND u.email LIKE '%@resilience.example'
                 AND NOT EXISTS (SELECT 1 FROM product_setups s WHERE s.product_user_id = u.id)`) +
          count(`SELECT COUNT(*) AS n FROM sendgrid_users u WHERE u.twilio_sub IS NOT NULL AND u.email LIKE '%@resilience.example'
                 AND NOT EXISTS (SELECT 1 FROM product_setups s WHERE s.product_user_id = u.id)`),
        auditEventWithoutLink: count(`SELECT COUNT(*) AS n FROM product_setups s WHERE NOT EXISTS (
            SELECT 1 FROM segment_users u WHERE u.id = s.product_user_id AND u.twilio_sub = s.twilio_sub
            UNION ALL SELECT 1 FROM sendgrid_users u WHERE u.id = s.product_user_id AND u.twilio_sub = s.twilio_sub)`),
        linkedWithLivePassword: count(
          'SELECT COUNT(*) AS n FROM segment_users WHERE twilio_sub IS NOT NULL AND password_hash IS NOT NULL',
        ),
        workspaceWithoutOwner: count(`SELECT COUNT(*) AS n FROM segment_workspaces w WHERE NOT EXISTS (
            SELECT 1 FROM segment_memberships m WHERE m.workspace_id = w.id AND m.role = 'Owner')`),
        accountWithoutAdmin: count(`SELECT COUNT(*) AS n FROM sendgrid_accounts a WHERE NOT EXISTS (
            SELECT 1 FROM sendgrid_teammates t WHERE t.account_id = a.id AND t.role = 'Admin')`),
      },
      users: count('SELECT COUNT(*) AS n FROM users'),
    };
  } finally {
    db.close();
  }
}
