import { describe, expect, it } from 'vitest';
import { NonRetriableNodeError } from './errors.ts';
import { checkNodeResult, type NodeKind } from './results.ts';

const response = { status: 200, headers: {}, body: 'ok' };

describe('checkNodeResult', () => {
  it.each<[NodeKind, unknown]>([
    ['action', { output: 1 }],
    ['trigger', { output: undefined }],
    ['condition', { output: 1, branch: 'false' }],
    ['switch', { output: 1, branch: 'case0' }],
    ['merge', { output: {} }],
    ['loop', { items: [1, 2], concurrency: 2 }],
    ['delay', { output: 1, resumeAt: new Date(0) }],
    ['respond', { output: response, response }],
  ])('accepts a well-formed %s result', (kind, value) => {
    expect(checkNodeResult(kind, value)).toBe(value);
  });

  it.each<[NodeKind, unknown, RegExp]>([
    ['action', null, /must return an object/],
    ['action', {}, /needs an output/],
    ['condition', { output: 1, branch: true }, /branch 'true' or 'false'/],
    ['switch', { output: 1 }, /needs a branch/],
    ['loop', { items: 'abc', concurrency: 1 }, /items/],
    ['loop', { items: [], concurrency: 0 }, /concurrency/],
    ['delay', { output: 1, resumeAt: '2025-01-01' }, /resumeAt/],
    ['delay', { output: 1, resumeAt: new Date(Number.NaN) }, /resumeAt/],
    ['respond', { output: 1, response: { status: '200', headers: {} } }, /response/],
  ])('rejects a malformed %s result: %j', (kind, value, message) => {
    expect(() => checkNodeResult(kind, value)).toThrow(NonRetriableNodeError);
    expect(() => checkNodeResult(kind, value)).toThrow(message);
  });
});
