import { describe, expect, it } from 'vitest';
import { noRouteAdvice, routePreviewQuery, type RoutePreview } from './route-preview.ts';

const q = (config: Record<string, unknown>, resolved?: string) => Object.fromEntries(new URLSearchParams(routePreviewQuery(config, resolved)));

describe('the route-preview query of an AI node', () => {
  it('is none for a pinned model (never routed)', () => {
    expect(routePreviewQuery({ prompt: 'x', model: 'openai/gpt-4.1' })).toBeUndefined();
  });

  it('sends the settled task, tier, reference model, json and sizes', () => {
    expect(q({ prompt: 'x'.repeat(400), task: 'classification', tier: 'premium', referenceModel: 'anthropic/claude-sonnet-4', jsonSchema: { type: 'object' }, maxTokens: 200 })).toEqual({
      task: 'classification', tier: 'premium', referenceModel: 'anthropic/claude-sonnet-4', json: 'true', promptTokens: String(4 + 100 + 4 + 5), maxTokens: '200',
    });
  });

  it('leaves out what the server would refuse or an expression decides, so the default shows', () => {
    expect(q({ prompt: 'hi', task: '{{ $trigger.task }}', tier: 'luxury', referenceModel: 'gpt-4o', maxTokens: 0 })).toEqual({ promptTokens: '9' });
  });

  it('counts a template prompt as written, or the resolved prompt when there is one', () => {
    expect(q({ prompt: 'Summarise {{ $trigger.body }}' }).promptTokens).toBe(String(4 + 8 + 4));
    expect(q({ prompt: 'Summarise {{ $trigger.body }}' }, 'y'.repeat(4000)).promptTokens).toBe(String(4 + 1000 + 4));
  });
});

describe('what to say when nothing can serve the node', () => {
  const none = { chosen: null, reference: { ref: '', origin: '', expectedCostMicros: null, expectedCostUsd: null }, tier: 'balanced', task: 'general', marginLabel: 'at least as good as' } as unknown as RoutePreview;
  it('names the key that serves the tier’s reference model when there is no key', () => {
    expect(noRouteAdvice(none, 0)).toBe('Add an AI key under Keys: an OpenAI key serves the reference model openai/gpt-4.1-mini itself; a key of another provider works where it has a model at least as good.');
    expect(noRouteAdvice(none, 0, 'anthropic/claude-sonnet-4')).toContain('an Anthropic key serves the reference model anthropic/claude-sonnet-4');
  });
  it('says what to change when the keys there are fall short', () => {
    expect(noRouteAdvice({ ...none, tier: 'premium' }, 2)).toContain('None of your keys has a model at least as good as openai/gpt-4.1 for general: add an OpenAI key');
  });
});
