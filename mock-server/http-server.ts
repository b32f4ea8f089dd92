/**
 * The world's one HTTP server: bound before anything else happens at start-up (a busy port then costs nothing),
 * and closed gracefully — stop accepting, let the requests in flight finish (bounded), then close what is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** How long a stopping server waits for requests in flight before it cuts them. */
export const DRAIN_TIMEOUT_MS = 10_000;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const draining = new WeakSet<Server>();

/** An HTTP server listening on 127.0.0.1:port that answers 503 until `serve` gives it the world's handler. */
export function bindPort(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Retry-After': '1' });
    res.end(JSON.stringify({ error: 'server_error', error_description: 'The mock world is starting.' }));
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Replaces the server's request handler. While draining, each answer closes its connection. */
export function serve(server: Server, handler: Listener): void {
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (draining.has(server)) res.setHeader('Connection', 'close');
    handler(req, res);
  });
}

/**
 * Stops accepting connections, closes idle keep-alive ones, waits for the requests in flight to be answered, and
 * after `timeoutMs` cuts whatever is still open.
 */
export function drainAndClose(server: Server, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  if (!server.listening) return Promise.resolve();
  draining.add(server);
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
