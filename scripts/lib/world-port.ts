/**
 * The world's port for `npm start` and `npm run dev`, read as the server reads it — `--port N` (the last one
 * given), else `PORT`, else 8787 — so the extension is built for the port the world really listens on.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../../contract/catalogue';

export function worldPortOf(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const { values } = parseArgs({
    args: [...args],
    options: { port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const given = typeof values.port === 'string' ? values.port : env.PORT || String(DEFAULT_PORT);
  const port = Number(given);
  if (!/^\d+$/.test(given) || port < 1 || port > 65_535) {
    throw new Error(`invalid port "${given}" (a whole number from 1 to 65535)`);
  }
  return port;
}
