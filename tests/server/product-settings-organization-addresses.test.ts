/**
 * A Segment or SendGrid user who is not linked cannot take an address on an organization's verified domain: such an
 * address is the organization's to give (by SCIM), and a product user holding it would be offered to — or block —
 * whoever the organization provisions with it. Refused when asked for and again at confirmation, with the same
 * answer for every address of the domain (decided by the domain alone, so it tells nothing about the address).
 */
import { describe, expect, it } from 'vitest';
import { listMail } from '../../mock-server/mailbox/mailbox';
import { productSettings } from './product-settings';
import { FRANK_SENDGRID, type ProductSite, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { mailbox } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { organizations } = world.organizations;
const { post, freshProductUser, confirmProductLink } = productSettings(world);

const NIA = { email: 'nia@benco.example', password: SEGMENT_PASSWORD };
const managedBy = (domain: string, organization: string, product: string) =>
  `Addresses at ${domain} are managed by ${organization}: its administrator gives them out. Use another email for your ${product} login.`;

/** Asks `product` to change the signed-in user's email to `newEmail`. */
const askFor = (who: Awaited<ReturnType<typeof freshProductUser>>, product: ProductSite, newEmail: string) =>
  post(who.browser, product, '/settings/email', { new_email: newEmail, current_password: who.credentials.password });

describe("an address on an organization's verified domain", () => {
  it.each([
    ['segment', 'Segment', NIA],
    ['sendgrid', 'SendGrid', FRANK_SENDGRID],
  ] as const)(
    'is refused to %s’s own user with 409 and why; nothing changes and nothing is mailed',
    async (product, name, credentials) => {
      const { browser } = await productPasswordLogin(world, product, credentials);
      const user = world.products[product].users.findByEmail(credentials.email)!;
      const who = { browser, credentials, user };
      // A change asked for earlier stays pending: the refused request replaces nothing.
      const earlier = `earlier-${product}@example.org`;
      expect((await askFor(who, product, earlier)).response.status).toBe(303);
      const mailToUser = listMail(world.db, { to: credentials.email }).length;

      const { response, text } = await askFor(who, product, 'newhire@acme.test');
      expect(response.status).toBe(409);
      expect(text).toContain(`role="alert">${managedBy('acme.test', 'Acme', name)}`);
      expect(text).toContain('value="newhire@acme.test"');
      expect(world.products[product].users.findById(user.id)!.email).toBe(credentials.email);
      expect(listMail(world.db, { to: 'newhire@acme.test' })).toEqual([]);
      expect(listMail(world.db, { to: credentials.email })).toHaveLength(mailToUser);
      const [earlierLink] = (await mailbox(world, earlier)).links;
      expect((await browser.request(earlierLink!)).status).toBe(200);
    },
  );

  it('gets the same answer for every address of the domain, whoever has it, and its owners get no notice', async () => {
    const asker = await freshProductUser('sendgrid', 'domain-asker');
    // sam is an Acme member with a Twilio login; tom exists only at Acme's IdP; nobody has the third.
    for (const address of ['sam@acme.test', 'Tom@ACME.test', 'nobody-yet@acme.test']) {
      const { response, text } = await askFor(asker, 'sendgrid', address);
      expect(response.status).toBe(409);
      expect(text).toContain(`role="alert">${managedBy('acme.test', 'Acme', 'SendGrid')}`);
      expect(listMail(world.db, { to: address })).toEqual([]);
    }
    expect(world.products.sendgrid.users.findById(asker.user.id)!.email).toBe(asker.credentials.email);
  });

  it('is refused at confirmation when the domain was verified after the link was sent; the email stays', async () => {
    const late = organizations.create({ name: 'Latecorp' });
    organizations.addDomain(late.id, 'latecorp.test');
    const mover = await freshProductUser('sendgrid', 'before-verify');
    expect((await askFor(mover, 'sendgrid', 'mover@latecorp.test')).response.status).toBe(303);
    const [link] = (await mailbox(world, 'mover@latecorp.test')).links;
    expect(organizations.verifyDomain(late.id, 'latecorp.test')).toBe(true);

    const refused = await confirmProductLink(mover.browser, link!);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain(`role="alert">${managedBy('latecorp.test', 'Latecorp', 'SendGrid')}`);
    expect(world.products.sendgrid.users.findById(mover.user.id)!.email).toBe(mover.credentials.email);
    expect(world.products.sendgrid.users.findByEmail('mover@latecorp.test')).toBeUndefined();
    expect(listMail(world.db, { to: mover.credentials.email }).map((mail) => mail.kind)).not.toContain(
      'product_email_changed',
    );
  });

  it('is allowed while the domain is only claimed, not verified', async () => {
    const claimer = organizations.create({ name: 'Claimco' });
    organizations.addDomain(claimer.id, 'claimco.test');
    const mover = await freshProductUser('segment', 'claimed-only');
    const asked = await askFor(mover, 'segment', 'mover@claimco.test');
    expect(asked.response.status).toBe(303);
    expect(asked.response.headers.get('location')).toBe('/settings?done=email-sent');
    const [link] = (await mailbox(world, 'mover@claimco.test')).links;
    const confirmed = await confirmProductLink(mover.browser, link!);
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/settings?done=email');
    expect(world.products.segment.users.findById(mover.user.id)!.email).toBe('mover@claimco.test');
  });
});
