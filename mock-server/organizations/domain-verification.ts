/**
 * Verifying an organization's email domain, the way SaaS identity products do it: the organization claims the
 * domain, Twilio gives it a token, the organization publishes the token as a DNS TXT record at
 * `_twilio-verification.<domain>`, and "Verify" looks the record up. Only a verified domain's users are the
 * organization's for SSO and SCIM.
 *
 * The demo world has no DNS of its own: it resolves TXT records from its demo DNS (demo-dns.ts), which a tester
 * fills on the dev page `/dev/dns` in place of a DNS provider. The check itself — the record's name and value —
 * is the same as against real DNS; the verification records who verified and when.
 */
import { SsoRefusal } from '../errors';
import { normaliseDomain, type OrganizationDomain, type OrganizationStore } from './organizations';

/** Where DNS holds TXT records (the demo DNS here; a real resolver would do the same job). */
export interface TxtResolver {
  txt(name: string): string[];
}

export const txtRecordName = (domain: string) => `_twilio-verification.${domain}`;
export const txtRecordValue = (token: string) => `twilio-domain-verification=${token}`;

const MAX_DOMAIN_LENGTH = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** `input` as a domain name the organization may claim (lower-case, at least two labels), or a refusal. */
export function checkedDomainName(input: string): string {
  const domain = normaliseDomain(input).replace(/\.$/, '');
  const labels = domain.split('.');
  if (
    !domain ||
    domain.length > MAX_DOMAIN_LENGTH ||
    labels.length < 2 ||
    !labels.every((label) => LABEL.test(label)) ||
    /^\d+$/.test(labels.at(-1) ?? '')
  ) {
    throw new SsoRefusal('domain_invalid', 'Enter a domain name, such as example.com (no @, no spaces, no URL).');
  }
  return domain;
}

export class DomainVerification {
  constructor(
    private readonly organizations: OrganizationStore,
    private readonly dns: TxtResolver,
  ) {}

  /** Claims `input` for the organization (unverified); refuses a domain some organization claimed already. */
  claim(organizationId: string, input: string): OrganizationDomain {
    const domain = checkedDomainName(input);
    try {
      this.organizations.addDomain(organizationId, domain);
    } catch (cause) {
      if ((cause as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw cause;
      throw new SsoRefusal('domain_claimed', `${domain} is already claimed by an organization.`, { cause });
    }
    return this.organizations.domain(organizationId, domain)!;
  }

  /** Verifies the organization's claim on `domain` when DNS holds its token; `by` is the admin's Twilio user id. */
  verify(organizationId: string, domain: string, by: string): OrganizationDomain {
    const claimed = this.organizations.domain(organizationId, domain);
    if (!claimed) throw new SsoRefusal('domain_not_claimed', 'Your organization has not claimed that domain.');
    if (claimed.verified) return claimed;
    const expected = txtRecordValue(claimed.verificationToken ?? '');
    const name = txtRecordName(claimed.domain);
    if (!claimed.verificationToken || !this.dns.txt(name).includes(expected)) {
      throw new SsoRefusal(
        'domain_record_missing',
        `No TXT record ${name} with the value ${expected} was found. Publish it, then verify again.`,
      );
    }
    this.organizations.verifyDomain(organizationId, claimed.domain, by);
    return this.organizations.domain(organizationId, claimed.domain)!;
  }
}
