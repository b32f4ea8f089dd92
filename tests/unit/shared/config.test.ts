import { describe, expect, it } from 'vitest';
import { ExtensionError, toWireError } from '../../../contract/errors';
import {
  ISSUER,
  isAllowedDestination,
  LOGIN_ORIGIN,
  PRODUCT_ORIGINS,
  productForHost,
  productForOrigin,
  useWorldPort,
  WORLD_PORT,
} from '../../../src/shared/config';

describe('config', () => {
  it('derives the issuer and product origins from the world port', () => {
    expect(WORLD_PORT).toBe(8787);
    expect(ISSUER).toBe('http://login.twilio.localhost:8787');
    expect(PRODUCT_ORIGINS).toEqual({
      console: 'http://console.twilio.localhost:8787',
      segment: 'http://app.segment.localhost:8787',
      sendgrid: 'http://app.sendgrid.localhost:8787',
    });
  });

  it("names the world on port 80 by the origins the browser reports (http's default port is left out)", () => {
    useWorldPort(80);
    try {
      const reported = (host: string) => new URL(`http://${host}:80/`).origin;
      expect(ISSUER).toBe(reported('login.twilio.localhost'));
      expect(LOGIN_ORIGIN).toBe('http://login.twilio.localhost');
      expect(PRODUCT_ORIGINS).toEqual({
        console: reported('console.twilio.localhost'),
        segment: reported('app.segment.localhost'),
        sendgrid: reported('app.sendgrid.localhost'),
      });
      expect(productForOrigin('http://app.segment.localhost')).toBe('segment');
      expect(isAllowedDestination('http://console.twilio.localhost/')).toBe(true);
      expect(isAllowedDestination('http://login.twilio.localhost:80/setup/segment')).toBe(true);
    } finally {
      useWorldPort(8787);
    }
  });

  it('recognises a product by exact origin, and by host on any port', () => {
    expect(productForOrigin('http://app.segment.localhost:8787')).toBe('segment');
    expect(productForOrigin('http://app.segment.localhost:9999')).toBeUndefined();
    expect(productForHost('app.sendgrid.localhost')).toBe('sendgrid');
    expect(productForHost('login.twilio.localhost')).toBeUndefined();
  });

  it('allows navigation only to the login and product origins of this world', () => {
    expect(isAllowedDestination('http://app.segment.localhost:8787/w/1')).toBe(true);
    expect(isAllowedDestination('http://login.twilio.localhost:8787/switch/sendgrid')).toBe(true);
    expect(isAllowedDestination('javascript:alert(1)')).toBe(false);
    expect(isAllowedDestination('http://evil.localhost:8787/')).toBe(false);
    expect(isAllowedDestination('http://app.segment.localhost.evil.test:8787/')).toBe(false);
    expect(isAllowedDestination('https://app.segment.localhost:8787/')).toBe(false);
    expect(isAllowedDestination('not a url')).toBe(false);
  });

  it("allows the set-up pages on the login host and the products' continue-with-Twilio routes", () => {
    expect(isAllowedDestination('http://login.twilio.localhost:8787/setup/segment')).toBe(true);
    expect(isAllowedDestination('http://login.twilio.localhost:8787/setup/sendgrid')).toBe(true);
    expect(isAllowedDestination('http://app.segment.localhost:8787/login/twilio')).toBe(true);
    expect(isAllowedDestination('http://app.segment.localhost:8787/login/twilio?next=%2Fworkspaces%2Fw-ben')).toBe(
      true,
    );
    expect(isAllowedDestination('http://app.sendgrid.localhost:8787/login/twilio?next=/accounts/a1')).toBe(true);
    expect(isAllowedDestination('http://console.twilio.localhost:8787/')).toBe(true);
  });

  it('refuses scripts, other schemes and origins, credentials and a next that leaves the origin', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:location="http://app.segment.localhost:8787/"',
      'data:text/html,<script>alert(1)</script>',
      'blob:http://app.segment.localhost:8787/0b2c',
      'chrome://settings',
      'http://login.twilio.localhost:8788/setup/segment',
      'http://sso.acme.localhost:8787/',
      'http://login.twilio.localhost@evil.test:8787/',
      'http://user:pass@app.segment.localhost:8787/',
      'http://app.segment.localhost:8787/login/twilio?next=https://evil.test/',
      'http://app.segment.localhost:8787/login/twilio?next=//evil.test/',
      'http://app.segment.localhost:8787/login/twilio?next=%2F%5Cevil.test',
      'http://app.segment.localhost:8787/login/twilio?next=javascript:alert(1)',
      'http://app.segment.localhost:8787/login/twilio?next=/ok&next=//evil.test',
      '',
    ]) {
      expect(isAllowedDestination(url), url).toBe(false);
    }
  });
});

describe('errors', () => {
  it('sends an ExtensionError with its code and message', () => {
    expect(toWireError(new ExtensionError('network', 'offline'))).toEqual({ code: 'network', message: 'offline' });
  });

  it('hides the details of unexpected errors behind internal', () => {
    expect(toWireError(new TypeError('secret detail'))).toEqual({
      code: 'internal',
      message: 'Something went wrong in the extension.',
    });
  });
});
