import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../index.ts';
import { describeNode } from '../contract/index.ts';
import { coreNodes } from './index.ts';

describe('core nodes', () => {
  it('are all in the default registry, at their latest version', () => {
    for (const def of coreNodes) expect(defaultRegistry.latest(def.type)).toBe(def);
    expect(coreNodes.map((d) => d.type)).toEqual([
      'core.manual',
      'core.webhook',
      'core.schedule',
      'core.form',
      'core.chat',
      'core.unsupported_trigger',
      'core.transform',
      'core.condition',
      'core.switch',
      'core.merge',
      'core.loop',
      'core.delay',
      'core.respond',
      'core.http',
      'core.code',
      'core.unsupported',
    ]);
  });

  it.each(coreNodes.map((d) => [d.type, d] as const))('%s describes itself as JSON with an object config schema', (_type, def) => {
    const descriptor = describeNode(def);
    expect(JSON.parse(JSON.stringify(descriptor))).toEqual(descriptor);
    expect(descriptor.configSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(descriptor.kind).toBe(def.kind);
  });

  it('describes computed outputs as dynamic and shows config details to the editor', () => {
    const sw = describeNode(defaultRegistry.get('core.switch', 1)!);
    expect(sw.outputs).toBe('dynamic');
    const cond = describeNode(defaultRegistry.get('core.condition', 1)!);
    expect(cond.outputs).toEqual(['true', 'false']);
    expect(cond.inputs).toEqual(['main']);
    const hook = describeNode(defaultRegistry.get('core.webhook', 1)!);
    expect(hook.inputs).toEqual([]);
    expect(hook.configSchema).toMatchObject({ properties: { responseMode: { enum: ['accepted', 'wait'], default: 'accepted' } } });
    const http = describeNode(defaultRegistry.get('core.http', 1)!);
    expect(http.configSchema).toMatchObject({ required: ['method', 'url'] });
    expect(http.outputSchema).toMatchObject({ type: 'object' });
  });
});
