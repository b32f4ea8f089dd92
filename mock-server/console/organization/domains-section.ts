/**
 * The organization page's verified domains: each claimed domain with its status (who verified it and when), the
 * DNS TXT record that proves an unverified one with its Verify button, and the form to claim another domain.
 */
import { html, type SafeHtml } from '../../html';
import { txtRecordName, txtRecordValue } from '../../organizations/domain-verification';
import { timeElement } from '../../time-format';
import type { DomainView, RefusedForm, SectionContext } from './view';

const DONE: Record<string, string> = {
  'domain-claimed': 'Domain added. Publish its TXT record, then verify it.',
  'domain-verified': 'Domain verified: single sign-on and SCIM now apply to its users.',
};

function status(domain: DomainView, zone: string): SafeHtml {
  if (!domain.verified) return html`Not verified`;
  if (!domain.verifiedAt) return html`Verified`;
  return html`Verified<br><small class="muted">by ${domain.verifiedByEmail ?? 'an administrator'}, ${timeElement(domain.verifiedAt, zone)}</small>`;
}

function verifyCell(domain: DomainView, csrf: SafeHtml, refused: RefusedForm | undefined): SafeHtml {
  if (domain.verified || !domain.verificationToken) return html``;
  const id = `verify-${domain.domain.replace(/[^a-z0-9]/g, '-')}`;
  const error =
    refused?.form === 'domain-verify' && refused.values.domain === domain.domain
      ? html`<div class="alert" role="alert" id="${id}-error" data-error-code="${refused.code}">${refused.message}</div>`
      : '';
  return html`${error}<p style="margin:0 0 .4rem">Publish this TXT record at your DNS provider:</p>
<dl style="margin:0 0 .5rem"><dt>Name</dt><dd><code data-testid="txt-name">${txtRecordName(domain.domain)}</code></dd>
<dt>Value</dt><dd><code data-testid="txt-value">${txtRecordValue(domain.verificationToken)}</code></dd></dl>
<form method="post" action="/organization/domains/${domain.domain}/verify">
  ${csrf}
  <button type="submit" class="inline" aria-label="Verify ${domain.domain}"${error ? html` aria-describedby="${id}-error"` : ''}>Verify</button>
</form>`;
}

export function domainsSection({ view, csrf }: SectionContext): SafeHtml {
  const { domains, done, refused, zone, demoDnsUrl } = view;
  const rows = domains.map(
    (domain) =>
      html`<tr data-testid="domain-${domain.domain}"><th scope="row">${domain.domain}</th><td>${status(domain, zone)}</td>
<td>${verifyCell(domain, csrf, refused)}</td></tr>`,
  );
  const claimRefused = refused?.form === 'domain-claim' ? refused : undefined;
  return html`<section class="card" id="domains" aria-labelledby="domains-heading" style="margin-top:1rem">
<h2 id="domains-heading" style="margin-top:0;font-size:1.1rem">Verified domains</h2>
${done && DONE[done] ? html`<p role="status">${DONE[done]}</p>` : ''}
<p class="muted">Single sign-on and SCIM apply to users of verified domains. To verify a domain, publish the TXT record
shown beside it, then press Verify. In this demo world DNS is simulated: publish the record on the
<a href="${demoDnsUrl}">demo DNS page (development only)</a>.</p>
<div class="table-scroll"><table data-testid="domains"><thead><tr><th scope="col">Domain</th><th scope="col">Status</th>
<th scope="col">Verification</th></tr></thead><tbody>${rows}</tbody></table></div>
<form method="post" action="/organization/domains" style="margin-top:1rem">
  ${csrf}
  ${claimRefused ? html`<div class="alert" role="alert" id="domain-error" data-error-code="${claimRefused.code}">${claimRefused.message}</div>` : ''}
  <label for="new-domain">Add a domain</label>
  <input id="new-domain" name="domain" required maxlength="253" autocomplete="off" placeholder="example.com"
    value="${claimRefused?.values.domain ?? ''}"${claimRefused ? html` aria-invalid="true" aria-describedby="domain-error"` : ''}>
  <button type="submit">Add domain</button>
</form>
</section>`;
}
