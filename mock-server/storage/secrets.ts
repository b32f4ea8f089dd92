/** Named secrets of the world (signing keys, cookie keys, client secrets), created once and then kept. */
import type { Db } from './database';

/** Returns the stored secret `name`, creating it with `create()` on first use (in one transaction). */
export async function loadOrCreateSecret(
  db: Db,
  name: string,
  create: () => Promise<string> | string,
): Promise<string> {
  const existing = readSecret(db, name);
  if (existing !== undefined) return existing;
  const value = await create();
  db.prepare('INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
    name,
    value,
    Date.now(),
  );
  // Another writer may have won the race: the stored value is the truth.
  return readSecret(db, name) ?? value;
}

function readSecret(db: Db, name: string): string | undefined {
  const row = db.prepare('SELECT value FROM secrets WHERE name = ?').get(name) as { value: string } | undefined;
  return row?.value;
}
