/**
 * The tester's choice of mock world, kept in `storage.local`: only its port, since the world's host names are
 * fixed (`*.localhost`). Unset means the port the extension was built for.
 */
import { BUILD_PORT } from './config';

export const WORLD_PORT_KEY = 'worldPort';

/** The parts of `chrome.storage.StorageArea` the settings use; tests pass an in-memory one. */
export interface SettingsArea {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export type PortInput = { ok: true; port: number } | { ok: false; message: string };

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535;
}

/** A port typed by the tester: digits only, 1–65535. */
export function parsePort(input: string): PortInput {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter the port the mock world listens on, e.g. 8787.' };
  if (!/^\d{1,5}$/.test(text)) return { ok: false, message: 'The port is a whole number, digits only.' };
  const port = Number(text);
  return isPort(port) ? { ok: true, port } : { ok: false, message: 'The port is between 1 and 65535.' };
}

/** The configured port, or the built-in one when none (or a corrupt value) is stored. */
export async function loadWorldPort(area: SettingsArea): Promise<number> {
  const stored = (await area.get(WORLD_PORT_KEY))[WORLD_PORT_KEY];
  return isPort(stored) ? stored : BUILD_PORT;
}

export async function saveWorldPort(area: SettingsArea, port: number): Promise<void> {
  if (!isPort(port)) throw new RangeError(`not a port: ${port}`);
  await area.set({ [WORLD_PORT_KEY]: port });
}
