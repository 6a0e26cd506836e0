import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, PGLITE_SHARED_BUFFERS } from '../src/store/database.ts';

describe('embedded database (PGlite) settings', () => {
  it('opens with the small buffer cache and keeps PGlite’s own start flags', async () => {
    const store = await openDatabase({ dataDir: 'memory://' });
    try {
      const show = async (name: string) => (await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(store.db)).rows[0]!.v;
      expect(await show('shared_buffers')).toBe(PGLITE_SHARED_BUFFERS);
      expect(PGLITE_SHARED_BUFFERS).toBe('16MB');
      // PGlite's defaults stay in force (its single-user mode needs them).
      expect(await show('max_worker_processes')).toBe('0');
      expect(await show('search_path')).toBe('public');
    } finally {
      await store.close();
    }
  });
});
