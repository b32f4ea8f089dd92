/**
 * One body limit at the server's edge (issue 9, security 1): a 1 MB body to any route on any host — our routes,
 * the plain node:http ones and oidc-provider's — is refused with 413 before it is read, declared or chunked.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../contract/api';
import { MAX_BODY_BYTES } from '../../mock-server/body-limit';
import { localhostFetch } from '../../mock-server/net';
import { worldForFile } from './world';

const world = await worldForFile();
const ONE_MB = 1024 * 1024;

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
  /** Body bytes the client had written when the answer arrived. */
  sent: number;
}

/**
 * Sends a POST's head and then, unless `declare` is set, a chunked body in 16 kB pieces, stopping as soon as the
 * answer arrives. With `declare`, the head announces 1 MB and no body byte is ever sent: an answer proves the
 * server decided without reading.
 */
function post(site: keyof typeof world.urls, path: string, mode: 'declared' | 'chunked'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(world.port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let answered = false;
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${new URL(world.urls[site]).host}`,
      'Content-Type: application/x-www-form-urlencoded',
      mode === 'declared' ? `Content-Length: ${ONE_MB}` : 'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const piece = 'a'.repeat(16 * 1024);
    // One piece per turn of the event loop, so the server (in this process) sees each before the next is sent.
    const writeMore = () => {
      if (answered || mode !== 'chunked' || socket.destroyed) return;
      if (sent >= ONE_MB) {
        socket.write('0\r\n\r\n');
        return;
      }
      sent += piece.length;
      socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`, () => setImmediate(writeMore));
    };
    socket.on('connect', () => {
      socket.write(head);
      writeMore();
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answered = true;
      response += chunk;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server closes the connection after its answer; a write racing that close may see EPIPE/ECONNRESET.
      if (!answered) reject(error);
    });
    socket.on('close', () => {
      const [headText = '', body = ''] = response.split('\r\n\r\n', 2);
      resolve({ status: Number(headText.split(' ', 3)[1]), headers: headText.toLowerCase(), body, sent });
    });
  });
}

const ROUTES: [keyof typeof world.urls, string][] = [
  ['segment', '/backchannel-logout'],
  ['sendgrid', '/backchannel-logout'],
  ['segment', '/login'],
  ['sendgrid', '/login'],
  ['console', '/backchannel-logout'],
  ['console', '/settings/email'],
  ['login', '/token'],
  ['login', '/token/introspection'],
  ['login', '/interaction/unknown/login'],
  ['login', '/setup/segment/link'],
  ['login', LOOKUP_PATH],
  ['login', '/no-such-path'],
];

/** Routes that read the body before deciding anything (the others answer without reading it at all). */
const READING_ROUTES: [keyof typeof world.urls, string][] = [
  ['segment', '/backchannel-logout'],
  ['sendgrid', '/backchannel-logout'],
  ['console', '/backchannel-logout'],
  ['segment', '/login'],
  ['sendgrid', '/login'],
  ['login', '/token'],
  ['login', '/token/introspection'],
  ['login', '/token/revocation'],
];

describe('the body limit at the server edge', () => {
  it.each(ROUTES)('answers a declared 1 MB body to %s %s with 413 without reading it', async (site, path) => {
    const answer = await post(site, path, 'declared');
    expect(answer.status).toBe(413);
    expect(answer.sent).toBe(0);
    expect(answer.headers).toContain('connection: close');
    expect(JSON.parse(answer.body)).toEqual({
      error: 'payload_too_large',
      error_description: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
    });
  });

  it.each(READING_ROUTES)('answers a chunked 1 MB body to %s %s with 413 once past the limit', async (site, path) => {
    const answer = await post(site, path, 'chunked');
    expect(answer.status).toBe(413);
    expect(answer.headers).toContain('connection: close');
    expect(JSON.parse(answer.body).error).toBe('payload_too_large');
    // The answer came while the client was still sending: the rest of the megabyte was never read.
    expect(answer.sent).toBeLessThan(ONE_MB / 4);
  });

  it('shows a readable page to a browser that sends too much', async () => {
    const response = await localhostFetch(`${world.urls.console}/settings/email`, {
      method: 'POST',
      headers: { accept: 'text/html,application/xhtml+xml', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a'.repeat(ONE_MB),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  });
});
