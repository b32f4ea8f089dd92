/**
 * The demo world's DNS: TXT records a tester publishes on the dev page `/dev/dns` (demo-dns-page.ts), read by
 * domain verification instead of public DNS, which this world cannot reach or change. Development only.
 */
import type { Db } from '../storage/database';
import type { TxtResolver } from './domain-verification';
import { normaliseDomain } from './organizations';

export interface DemoTxtRecord {
  name: string;
  value: string;
  createdAt: number;
}

export const MAX_TXT_VALUE_LENGTH = 255;

export class DemoDns implements TxtResolver {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  txt(name: string): string[] {
    const rows = this.db
      .prepare('SELECT value FROM demo_dns_txt_records WHERE name = ?')
      .all(normaliseDomain(name).replace(/\.$/, '')) as { value: string }[];
    return rows.map((row) => row.value);
  }

  publish(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO demo_dns_txt_records (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name, value) DO NOTHING',
      )
      .run(normaliseDomain(name).replace(/\.$/, ''), value.trim(), this.clock());
  }

  list(): DemoTxtRecord[] {
    const rows = this.db.prepare('SELECT * FROM demo_dns_txt_records ORDER BY name, value').all() as {
      name: string;
      value: string;
      created_at: number;
    }[];
    return rows.map((row) => ({ name: row.name, value: row.value, createdAt: row.created_at }));
  }
}
