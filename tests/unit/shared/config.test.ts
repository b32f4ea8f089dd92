import { describe, expect, it } from 'vitest';
import {
  ISSUER,
  isAllowedDestination,
  PRODUCT_ORIGINS,
  productForHost,
  productForOrigin,
  WORLD_PORT,
} from '../../../src/shared/config';
import { ExtensionError, toWireError } from '../../../src/shared/errors';

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
