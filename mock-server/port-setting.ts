/**
 * The world's port as the server reads it, and as `npm start` and `npm run dev` read it to build the extension for
 * the same port: the last `--port`, else `PORT` (even empty: set but empty is a mistake to say, not a default), else
 * the default. Digits only: Number() would take "" as 0 and "0x50" as 80.
 */
import { DEFAULT_PORT } from '../contract/catalogue';

export type PortSetting = { ok: true; port: number } | { ok: false; problem: string };

export function portSetting(flag: string | undefined, env: string | undefined): PortSetting {
  const [given, from] = flag !== undefined ? [flag, '--port'] : [env, 'PORT'];
  if (given === undefined) return { ok: true, port: DEFAULT_PORT };
  const port = Number(given);
  if (!/^\d+$/.test(given) || port < 1 || port > 65_535) {
    return { ok: false, problem: `invalid ${from} "${given}" (a whole number from 1 to 65535)` };
  }
  return { ok: true, port };
}
