import { describe, expect, it } from 'vitest';
import { NodeError, NonRetriableNodeError, RetryAfterNodeError, toNodeError } from './errors.ts';

describe('node errors', () => {
  it.each([
    ['NodeError', new NodeError('boom'), true],
    ['NonRetriableNodeError', new NonRetriableNodeError('bad input'), false],
    ['RetryAfterNodeError', new RetryAfterNodeError('slow down', 1500), true],
  ])('%s says whether to retry', (name, error, retryable) => {
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.retryable).toBe(retryable);
  });

  it('keeps cause and details', () => {
    const cause = new TypeError('socket hang up');
    const error = new NonRetriableNodeError('HTTP 404 from example.com', { cause, details: { status: 404 } });
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ status: 404 });
    expect(error.message).toBe('HTTP 404 from example.com');
  });

  it.each([
    [1500, 1500],
    [0.2, 1],
    [-5, 0],
    [Number.NaN, 0],
  ])('RetryAfterNodeError(%s) waits %s ms', (given, expected) => {
    expect(new RetryAfterNodeError('429', given).retryAfterMs).toBe(expected);
  });

  it('toNodeError keeps node errors and wraps anything else as retryable', () => {
    const own = new NonRetriableNodeError('no');
    expect(toNodeError(own)).toBe(own);
    const wrapped = toNodeError(new RangeError('oops'));
    expect(wrapped.retryable).toBe(true);
    expect(wrapped.message).toBe('oops');
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(toNodeError('a string').message).toBe('node failed with a non-Error value');
  });
});
