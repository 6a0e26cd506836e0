// Which database errors stop an execution without failing its run (it resumes from its
// checkpoints a second later) and which are the run's own failure.
import { describe, expect, it } from 'vitest';
import { isDatabaseInterruption } from './types.ts';

const pgError = (code: string, message = 'postgres said no') => Object.assign(new Error(message), { code });

describe('isDatabaseInterruption', () => {
  it.each([
    ['08006 connection failure', pgError('08006')],
    ['57P01 admin shutdown (pg_terminate_backend)', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P03 cannot connect now (starting up)', pgError('57P03')],
    // A shared Postgres out of connection slots refuses a new session; the fault tests met it.
    ['53300 too many connections', pgError('53300', 'sorry, too many clients already')],
    ['ECONNREFUSED', pgError('ECONNREFUSED')],
    ['a pool client that died', new Error('Connection terminated unexpectedly')],
  ])('%s is an interruption', (_name, err) => {
    expect(isDatabaseInterruption(err)).toBe(true);
  });

  it.each([
    ['23505 unique violation', pgError('23505')],
    ['22P02 invalid text', pgError('22P02')],
    ['a node error', new Error('the API answered 500')],
    ['not an Error', 'Connection terminated'],
  ])('%s is not', (_name, err) => {
    expect(isDatabaseInterruption(err)).toBe(false);
  });
});
