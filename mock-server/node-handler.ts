/** A plain Node request handler: what each site of the world is, and what the host router dispatches to. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The request's path without its query; every request passes here, so a URL without a query is not copied. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
