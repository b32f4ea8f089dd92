/**
 * SIGTERM drains (issue 9, reliability 3): the server stops accepting, answers every request already in flight,
 * then exits 0; a request that never finishes is cut after the drain timeout, and the server still exits.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../contract/api';
import { siteOrigin } from '../../contract/catalogue';
import { freePort } from '../../mock-server/net';
import { scratchFolder, startServer } from './server-process';

const BURST = 30;

/**
 * Sends a lookup's head with `Expect: 100-continue` and resolves once the server has taken the request (its
 * "100 Continue"); `finish()` then sends the body and resolves with the status of the answer (0: none came).
 */
function requestInFlight(port: number, email: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  const body = JSON.stringify({ email, product: 'segment' });
  let received = '';
  const answered = new Promise<number>((done) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const finals = received.split('\r\n').filter((line) => /^HTTP\/1\.1 [2-5]\d\d /.test(line));
      done(finals.length ? Number(finals[0]!.split(' ')[1]) : 0);
    });
  });
  const taken = new Promise<void>((done) => {
    const check = () => {
      if (received.includes('100 Continue')) done();
    };
    socket.on('data', check);
  });
  socket.write(
    [
      `POST ${LOOKUP_PATH} HTTP/1.1`,
      `Host: ${new URL(siteOrigin('login', port)).host}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Expect: 100-continue',
      '',
      '',
    ].join('\r\n'),
  );
  return {
    taken,
    finish: () => {
      socket.write(body);
      return answered;
    },
    answered,
  };
}

async function runningServer() {
  const port = await freePort();
  const server = startServer(['--port', String(port), '--db', join(scratchFolder(), 'world.db')]);
  await server.ready;
  return { port, server };
}

describe('SIGTERM', () => {
  it('answers every request in flight, refuses new connections, then exits 0', async () => {
    const { port, server } = await runningServer();
    const burst = Array.from({ length: BURST }, (_, i) => requestInFlight(port, `drain-${i}@example.com`));
    await Promise.all(burst.map((request) => request.taken));

    server.child.kill('SIGTERM');
    // Once the server has stopped accepting, a new connection is refused.
    await expect.poll(() => connectionRefused(port)).toBe(true);
    const statuses = await Promise.all(burst.map((request) => request.finish()));
    expect(statuses).toEqual(Array(BURST).fill(200));
    expect(await server.exited).toBe(0);
  });

  it('cuts a request that never finishes after the drain timeout, and still exits 0', async () => {
    const { port, server } = await runningServer();
    const stuck = requestInFlight(port, 'stuck@example.com');
    await stuck.taken;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await stuck.answered).toBe(0);
  });
});

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.on('error', () => done(true));
  });
}
