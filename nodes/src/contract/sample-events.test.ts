// Every app trigger ships a sample event that it accepts: the editor offers it as the first test
// payload of a workflow the trigger starts, so a test run works before the service is wired up.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRegistry } from '../index.ts';
import { defineNode } from './define-node.ts';
import { describeNode } from './describe-node.ts';
import { createTestContext } from './test-context.ts';

/** Triggers whose data is whatever the user sends or nothing: a request, a tick, a click. */
const OPEN_TRIGGERS = new Set(['core.webhook', 'core.schedule', 'core.manual']);
const appTriggers = defaultRegistry.list().filter((d) => d.kind === 'trigger' && !OPEN_TRIGGERS.has(d.type) && !d.type.startsWith('core.unsupported'));

/** A config the trigger takes: its defaults, else its first example's, else (ids the user picks, which a run does not read) none. */
function configOf(def: (typeof appTriggers)[number]): unknown {
  const bare = def.config.safeParse({});
  if (bare.success) return bare.data;
  const example = def.config.safeParse(def.examples?.find((e) => e.config)?.config);
  return example.success ? example.data : {};
}

describe('app trigger sample events', () => {
  it('covers the app triggers', () => {
    expect(appTriggers.map((d) => d.type)).toEqual(expect.arrayContaining(['gmail.new_message', 'slack.event', 'trello.event', 'asana.event']));
  });

  it.each(appTriggers.map((d) => [d.type, d] as const))('%s declares a sample event it accepts, and describes it', async (_type, def) => {
    expect(def.sampleEvent, `${def.type} has no sampleEvent`).toBeDefined();
    const result = await def.run(createTestContext(configOf(def) as never, { trigger: structuredClone(def.sampleEvent) }) as never);
    expect('output' in result && result.output !== undefined).toBe(true);
    expect(describeNode(def).sampleEvent).toEqual(def.sampleEvent);
  });

  it('is a trigger-only field', () => {
    expect(() => defineNode({ type: 'x.y', version: 1, title: 'x', description: '', category: 'core', kind: 'action', config: z.strictObject({}), sampleEvent: {}, run: async () => ({ output: 1 }) })).toThrow(/only a trigger/);
  });
});
