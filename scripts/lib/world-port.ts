/**
 * The world's port for `npm start` and `npm run dev`, read as the server reads it (mock-server/port-setting.ts):
 * the last `--port`, else `PORT`, else 8787, so the extension is built for the port the world really listens on.
 */
import { parseArgs } from 'node:util';
import { portSetting } from '../../mock-server/port-setting';

export function worldPortOf(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const { values } = parseArgs({
    args: [...args],
    options: { port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const read = portSetting(typeof values.port === 'string' ? values.port : undefined, env.PORT);
  if (!read.ok) throw new Error(read.problem);
  return read.port;
}
