/**
 * The one request-body limit of the world, applied at the server's edge before any site, route or library sees the
 * request: every route on every host (our Hono routes, the plain node:http ones, oidc-provider's) inherits it.
 *
 * A declared `Content-Length` past the limit is answered 413 at once, without reading a byte. A chunked body is
 * counted as the parser hands it over; once past the limit nothing more reaches the route, the 413 is sent and the
 * connection closed (its unread rest must not be parsed as the next request).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerTo, type ErrorAnswer } from './error-response';
import { RequestError } from './errors';

/** No form, token request or API call of the world needs more (oidc-provider's own cap, 56 kB, is never reached). */
export const MAX_BODY_BYTES = 48 * 1024;

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The request's host name as the world routes by it: lower case, without the port. */
export function requestHost(req: IncomingMessage): string {
  return (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
}

/**
 * Where a larger body is allowed (a path prefix on one host: the same path on another host serves nothing that
 * needs it), and how its refusal is answered (e.g. SCIM's own error shape; default ours).
 */
export interface LargerBodies {
  host: string;
  prefix: string;
  maxBytes: number;
  answer?: (maxBytes: number) => ErrorAnswer;
}

function ourAnswer(req: IncomingMessage, maxBytes: number): ErrorAnswer {
  const error = new RequestError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
  // A browser gets the readable error page; everyone else the JSON body.
  return answerTo(error, { json: !(req.headers.accept ?? '').includes('text/html') });
}

function refuse(req: IncomingMessage, res: ServerResponse, answer: ErrorAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) });
  res.end(answer.body, () => req.socket.destroy());
}

/** Wraps the server's request listener so no body past its limit is ever buffered by anyone. */
export function limitRequestBodies(handler: NodeHandler, larger: readonly LargerBodies[] = []): NodeHandler {
  return (req, res) => {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    // Without either header there is no body (RFC 9112 §6.3): most requests, GETs, pass straight through.
    if (declared === undefined && !chunked) {
      handler(req, res);
      return;
    }
    const path = req.url ?? '/';
    const host = requestHost(req);
    const rule = larger.find((candidate) => candidate.host === host && path.startsWith(candidate.prefix));
    const maxBytes = rule?.maxBytes ?? MAX_BODY_BYTES;
    const tooLarge = () => refuse(req, res, rule?.answer ? rule.answer(maxBytes) : ourAnswer(req, maxBytes));
    if (declared !== undefined && !chunked && Number(declared) > maxBytes) {
      tooLarge();
      return;
    }
    if (chunked) {
      // The HTTP parser delivers each body chunk through `push`: counting there leaves the stream's flow alone.
      let received = 0;
      let refused = false;
      const push = req.push.bind(req);
      req.push = (chunk: unknown, encoding?: BufferEncoding) => {
        if (refused) return false;
        if (chunk !== null) received += (chunk as Buffer).length;
        if (received <= maxBytes) return push(chunk, encoding);
        refused = true;
        if (!res.headersSent) tooLarge();
        else req.socket.destroy();
        return false;
      };
    }
    handler(req, res);
  };
}
