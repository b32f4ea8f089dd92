/** A plain Node request handler: what each site of the world is, and what the host router dispatches to. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;
