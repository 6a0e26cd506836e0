import { describe, expect, it } from 'vitest';
import { descriptor } from './test-descriptors.ts';
import { validateNodeConfig } from './validate-node-config.ts';

describe('validateNodeConfig', () => {
  it('accepts a valid config', () => {
    expect(validateNodeConfig(descriptor('core.transform'), { fields: [{ name: 'greeting', value: 'Hello' }] })).toEqual([]);
  });

  it('names each problem by its path with a message a person can act on', () => {
    const issues = validateNodeConfig(descriptor('core.transform'), { fields: [{ name: '', value: 1 }, { value: 2 }], keepInput: 'yes' });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'fields.0.name', message: 'Required' },
        { path: 'fields.1.name', message: 'Required' },
        { path: 'keepInput', message: 'Must be a boolean' },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it.each([
    ['core.respond', { body: 'x', status: 99 }, 'status', 'Must be 200 or more'],
    ['ai.complete', { prompt: 'hi', maxTokens: 1.5 }, 'maxTokens', 'Must be a whole number'],
    ['ai.complete', { prompt: 'hi', tier: 'cheap' }, 'tier', 'Must be one of: economy, balanced, premium'],
    ['ai.complete', {}, 'prompt', 'Required'],
    ['core.delay', { amount: 0, unit: 'hours' }, 'amount', 'Must be more than 0'],
    ['core.http', { method: 'GET', url: 'https://x.test', headers: { 'bad header': 'v' } }, 'headers', 'A key is not in the expected format'],
  ])('%s %j → %s: %s', (type, config, path, message) => {
    expect(validateNodeConfig(descriptor(type), config as Record<string, unknown>)).toContainEqual({ path, message });
  });

  it('defers what an expression decides, as the server does', () => {
    // A number field holding an expression is known only at run time.
    expect(validateNodeConfig(descriptor('core.respond'), { body: 'x', status: '{{ $trigger.body.status }}' })).toEqual([]);
    expect(validateNodeConfig(descriptor('core.transform'), { fields: '{{ $trigger.body.fields }}' })).toEqual([]);
    // …but not a plain string in the same place.
    expect(validateNodeConfig(descriptor('core.respond'), { body: 'x', status: '201' })).toEqual([{ path: 'status', message: 'Must be a whole number' }]);
  });

  it('always reports an unknown key, even one holding an expression', () => {
    expect(validateNodeConfig(descriptor('core.respond'), { body: 'x', extra: '{{ 1 }}' })).toEqual([{ path: 'extra', message: 'Unknown field "Extra": remove it' }]);
  });
});
