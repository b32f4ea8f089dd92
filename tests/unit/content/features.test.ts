import { afterEach, describe, expect, it } from 'vitest';
import {
  type ContentFeature,
  isProductLoginPage,
  isProductPage,
  onProducts,
  runFeatures,
} from '../../../src/content/features';
import { loginRedirect } from '../../../src/content/login-redirect';
import { switcher } from '../../../src/content/switcher';

const page = (hostname: string, pathname = '/') => ({ hostname, pathname });

afterEach(() => {
  document.body.innerHTML = '';
});

describe('content feature registry', () => {
  it('runs only the features whose pages match, in order', () => {
    const started: string[] = [];
    const feature = (name: string, include: ContentFeature['include']): ContentFeature => ({
      name,
      include,
      init: () => void started.push(name),
    });
    const features = [
      feature('everywhere', [isProductPage]),
      feature('login', [isProductLoginPage]),
      feature('segment-only', [onProducts(['segment'])]),
    ];
    const signal = new AbortController().signal;
    expect(runFeatures(features, page('console.twilio.localhost', '/login'), signal)).toEqual(['everywhere', 'login']);
    expect(runFeatures(features, page('app.segment.localhost', '/workspaces'), signal)).toEqual([
      'everywhere',
      'segment-only',
    ]);
    expect(runFeatures(features, page('evil.localhost', '/login'), signal)).toEqual([]);
    expect(started).toEqual(['everywhere', 'login', 'everywhere', 'segment-only']);
  });

  it('keeps starting the other features when one throws', () => {
    const failing: ContentFeature = {
      name: 'failing',
      include: [isProductPage],
      init: () => {
        throw new Error('boom');
      },
    };
    const ok: ContentFeature = { name: 'ok', include: [isProductPage], init: () => undefined };
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(runFeatures([failing, ok], page('app.segment.localhost'), new AbortController().signal)).toEqual(['ok']);
    } finally {
      console.error = quiet;
    }
  });

  it('declares the switcher on every product page and the login redirect on Segment and SendGrid logins', () => {
    const signal = new AbortController().signal;
    const features = [switcher, loginRedirect];
    expect(runFeatures(features, page('console.twilio.localhost', '/login'), signal)).toEqual(['switcher']);
    expect(runFeatures(features, page('app.sendgrid.localhost', '/login'), signal)).toEqual([
      'switcher',
      'login-redirect',
    ]);
    expect(runFeatures(features, page('login.twilio.localhost', '/login'), signal)).toEqual([]);
  });
});
