/** The world-file flags of `npm run server` / `npm start`: `--world FILE` and `--export-world FILE`. */
import { writeFileSync } from 'node:fs';
import type { Db } from '../storage/database';
import { readWorldFile } from './check';
import { type BundledIdp, exportWorld } from './export';
import type { WorldFile } from './schema';

/** The checked world file, or a refusal naming every problem by its path in the file. */
export function loadWorldFlag(path: string): { world: WorldFile } | { refusal: string } {
  const checked = readWorldFile(path);
  if (checked.ok) return { world: checked.world };
  return {
    refusal: `${path} is not a valid world file; nothing was started:\n${checked.problems.map((p) => `  ${p}`).join('\n')}`,
  };
}

/** Writes the world in `db` to `path` as a world file (no passwords or secrets). */
export function writeWorldExport(db: Db, bundledIdp: BundledIdp, path: string): void {
  writeFileSync(path, `${JSON.stringify(exportWorld(db, bundledIdp), null, 2)}\n`);
}

/** What the start-up banner says about a world started from a file. */
export function worldBanner(
  path: string,
  world: WorldFile,
  generated: readonly { clientId: string; clientSecret: string }[],
): string {
  const users = world.twilio.users.map((user) => user.email).join(', ');
  const apps = generated.map((app) => `\n  SCIM app ${app.clientId}, secret ${app.clientSecret} (shown once)`);
  return `  World: ${path} (Twilio users: ${users || 'none'})${apps.join('')}`;
}
