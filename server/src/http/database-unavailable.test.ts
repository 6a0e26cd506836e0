import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RedisLimitStore } from '@keyflow/engine';
import { isDatabaseUnavailable } from './database-unavailable.ts';

describe('isDatabaseUnavailable', () => {
  it('counts an unreachable Redis behind the shared limits as unavailable (503, not 500)', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const store = new RedisLimitStore(`redis://127.0.0.1:${port}`, 'kf-down');
    const err = await store.attempt([{ kind: 'window', name: 'w', key: 'k', windowMs: 1000, max: 1 }]).then(() => undefined, (e: unknown) => e);
    await store.close();
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(true);
  }, 20_000);
});
