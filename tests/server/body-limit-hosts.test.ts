/**
 * The larger body limits belong to the host that serves their routes: SCIM's (its base path) and the SAML ACS
 * form's (/saml/) are the Twilio login's. The same paths on the Console, Segment, SendGrid and Acme hosts serve
 * nothing, so a body past the default limit there is refused at the edge like on any other route.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../mock-server/body-limit';
import { localhostFetch } from '../../mock-server/net';
import { MAX_SAML_FORM_BYTES } from '../../mock-server/saml/xml-safety';
import { MAX_SCIM_BODY_BYTES } from '../../mock-server/scim/discovery';
import { SCIM_BASE_PATH } from '../../mock-server/scim/routes';
import { worldForFile } from './world';

const world = await worldForFile();

/** Past the default limit, within the larger one. */
const SCIM_BODY = 'a'.repeat(500 * 1024);
const SAML_BODY = `SAMLResponse=${'a'.repeat(80 * 1024)}`;

const post = (origin: string, path: string, body: string, contentType: string) =>
  localhostFetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

const DEFAULT_REFUSAL = {
  error: 'payload_too_large',
  error_description: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
};

const OTHER_HOSTS = ['console', 'segment', 'sendgrid', 'acme'] as const;

describe('the larger body limits, by host', () => {
  it('sizes the bodies between the default and the larger limits', () => {
    expect(SCIM_BODY.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(SCIM_BODY.length).toBeLessThan(MAX_SCIM_BODY_BYTES);
    expect(SAML_BODY.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(SAML_BODY.length).toBeLessThan(MAX_SAML_FORM_BYTES);
  });

  it.each(OTHER_HOSTS)('refuses a 500 kB SCIM body on the %s host at the default limit', async (site) => {
    const response = await post(world.urls[site], `${SCIM_BASE_PATH}/Users`, SCIM_BODY, 'application/scim+json');
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual(DEFAULT_REFUSAL);
  });

  it.each(OTHER_HOSTS)('refuses an 80 kB form to /saml/ on the %s host at the default limit', async (site) => {
    for (const path of ['/saml/x', '/saml/acme/acs']) {
      const response = await post(world.urls[site], path, SAML_BODY, 'application/x-www-form-urlencoded');
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual(DEFAULT_REFUSAL);
    }
  });

  it('keeps both larger limits on the Twilio login, which serves SCIM and the ACS', async () => {
    const scim = await post(world.urls.login, `${SCIM_BASE_PATH}/Users`, SCIM_BODY, 'application/scim+json');
    // Read and answered by SCIM itself (no token), not refused at the edge.
    expect(scim.status).toBe(401);
    const acs = await post(world.urls.login, '/saml/acme/acs', SAML_BODY, 'application/x-www-form-urlencoded');
    expect(acs.status).not.toBe(413);
    expect(acs.status).toBeLessThan(500);
  });
});
