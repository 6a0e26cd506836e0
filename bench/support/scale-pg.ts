// A plain pg client for the scale bench's own SQL (seeding, EXPLAIN, statistics). pg is CommonJS
// and the bench has no type declarations for it; this is the shape the bench relies on.
import { createRequire } from 'node:module';

export interface BenchPg {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  end(): Promise<void>;
}

const { Client } = createRequire(import.meta.url)('pg') as { Client: new (opts: { connectionString: string }) => BenchPg & { connect(): Promise<void> } };

export async function connectPg(url: string): Promise<BenchPg> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** An idle backend reports its counters to pg_stat_database within 10 s (PGSTAT_IDLE_INTERVAL); wait that long before reading them. */
export const STATS_FLUSH_MS = 11_000;
