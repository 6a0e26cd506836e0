// Every shipped node's keywords and examples: the generator leans on them, so an example whose
// config does not validate would make it place a node that the graph validator then refuses.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRegistry, UNSUPPORTED_TYPES } from '../index.ts';
import { defineNode } from './define-node.ts';
import { describeNode } from './describe-node.ts';

// The n8n import's placeholders (core.unsupported*) are never planned, so they need none.
const core = defaultRegistry.list().filter((d) => !UNSUPPORTED_TYPES.includes(d.type)).filter((d) => d.type.startsWith('core.') || d.type.startsWith('ai.') || d.type.startsWith('slack.') || d.type.startsWith('trello.') || d.type.startsWith('notion.'));

describe('node keywords and examples', () => {
  it.each(core.map((d) => [d.type, d] as const))('%s has keywords and examples whose configs validate', (_type, def) => {
    expect(def.keywords?.length ?? 0).toBeGreaterThan(0);
    expect(def.examples?.length ?? 0).toBeGreaterThan(0);
    for (const example of def.examples ?? []) {
      // An example may give only its sentence (ids of boards and lists are the user's); a config given must validate.
      if (!example.config) continue;
      const parsed = def.config.safeParse(example.config);
      expect(parsed.success, `${def.type}: "${example.text}" ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`).toBe(true);
    }
  });

  it('describeNode carries them, and a node without them still describes', () => {
    const d = describeNode(defaultRegistry.latest('ai.complete')!);
    expect(d.keywords).toContain('summarise');
    expect(d.examples![0]!.text.length).toBeGreaterThan(0);
    const bare = defineNode({ type: 'demo.bare', version: 1, title: 'Bare', description: 'x', category: 'core', kind: 'action', config: z.strictObject({}), run: async () => ({ output: null }) });
    expect(describeNode(bare)).toMatchObject({ keywords: [], examples: [] });
  });

  it('keywords are lower-cased and empty ones refused', () => {
    const base = { type: 'demo.kw', version: 1, title: 'K', description: 'x', category: 'core', kind: 'action', config: z.strictObject({}), run: async () => ({ output: null }) } as const;
    expect(defineNode({ ...base, keywords: [' Post To Slack '] }).keywords).toEqual(['post to slack']);
    expect(() => defineNode({ ...base, keywords: ['  '] })).toThrow(/keywords/);
    expect(() => defineNode({ ...base, examples: [{ text: '' }] })).toThrow(/example/);
  });
});
