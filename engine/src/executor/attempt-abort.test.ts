import { describe, expect, it } from 'vitest';
import { AttemptAbort } from './run-node.ts';

const never = () => new Promise<never>(() => undefined);

describe('AttemptAbort', () => {
  it('rejects a call that ignores its signal as soon as the attempt aborts', async () => {
    const a = new AttemptAbort();
    const settled = a.settle(never());
    const reason = new Error('timed out');
    a.abort(reason);
    await expect(settled).rejects.toBe(reason);
  });

  it('rejects at once when the attempt aborted before the call', async () => {
    const a = new AttemptAbort();
    const reason = new Error('cancelled');
    a.abort(reason);
    await expect(a.settle(Promise.resolve(1))).rejects.toBe(reason);
  });

  it('passes the call through when nothing aborts', async () => {
    const a = new AttemptAbort();
    await expect(a.settle(Promise.resolve(7))).resolves.toBe(7);
    await expect(new AttemptAbort().settle(Promise.reject(new Error('node failed')))).rejects.toThrow('node failed');
  });

  it('aborts the signal a node took, with the reason, before the race rejects', async () => {
    const a = new AttemptAbort();
    const order: string[] = [];
    const signal = a.signal;
    signal.addEventListener('abort', () => order.push('node'));
    const settled = a.settle(never()).catch((e: unknown) => {
      order.push('race');
      return e;
    });
    const reason = new Error('timed out');
    a.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(await settled).toBe(reason);
    expect(order).toEqual(['node', 'race']);
  });

  it('hands out an aborted signal when asked for one after the abort, and keeps the first reason', () => {
    const a = new AttemptAbort();
    const first = new Error('first');
    a.abort(first);
    a.abort(new Error('second'));
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe(first);
    expect(a.signal).toBe(a.signal);
  });
});
