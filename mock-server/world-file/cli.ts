/** The world-file flags of `npm run server` / `npm start`: `--world FILE` and `--export-world FILE`. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/** An export that could not be written; `message` is the one line to print, `code` the file system's. */
export class WorldExportUnwritable extends Error {
  override readonly name = 'WorldExportUnwritable';
  constructor(
    readonly path: string,
    readonly code: string,
    cause: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write ${path} (${cause}); it is left as it was.`, options);
  }
}

/**
 * Writes the world in `db` to `path` as a world file (no passwords or secrets). The whole file or nothing: it is
 * written beside `path` and renamed into place, so a full disk or a crash mid-write never leaves half a world
 * there (over an earlier export, say).
 */
export function writeWorldExport(db: Db, bundledIdp: BundledIdp, path: string): void {
  const text = `${JSON.stringify(exportWorld(db, bundledIdp), null, 2)}\n`;
  // Beside the target: a rename is atomic only within one file system.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, text);
      // On disk before it takes the target's name: after a power loss, the old file or the new one.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the error that matters is the write's.
    }
    throw unwritable(path, error);
  }
}

/** The cause without the syscall and the temporary file's name ("ENOSPC: no space left on device, write"). */
function unwritable(path: string, error: unknown): WorldExportUnwritable {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  const message = error instanceof Error ? error.message : String(error);
  const cause = /^[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
  return new WorldExportUnwritable(path, code, cause, { cause: error });
}

/** What the start-up banner says about a world started from a file. */
export function worldBanner(
  path: string,
  world: WorldFile,
  generated: readonly { clientId: string; clientSecret: string }[],
): string {
  const apps = generated.map((app) => `\n  SCIM app ${app.clientId}, secret ${app.clientSecret} (shown once)`);
  return `  World: ${path} (Twilio users: ${someEmails(world.twilio.users.map((user) => user.email))})${apps.join('')}`;
}

/** The banner names a few users to sign in as, not a large world's every one. */
const BANNER_EMAILS = 8;

/** `emails` for the start-up banner: the first few, and how many more; "none" for none. */
export function someEmails(emails: readonly string[]): string {
  if (emails.length === 0) return 'none';
  const shown = emails.slice(0, BANNER_EMAILS).join(', ');
  return emails.length > BANNER_EMAILS ? `${shown} and ${emails.length - BANNER_EMAILS} more` : shown;
}
