import { describe, expect, it } from 'vitest';
import { costTrace, savingsPct } from './ai-savings.ts';
import type { TraceCall } from './ai-trace-extract.ts';

const call = (over: Partial<TraceCall>): TraceCall => ({
  file: 'wf.json',
  node: 'n',
  kind: 'chainLlm',
  provider: 'openai',
  model: 'gpt-4o',
  modelDeclared: true,
  systemChars: 0,
  userChars: 40,
  systemTokens: 0,
  userTokens: 10,
  placeholders: 0,
  maxTokens: 100,
  needs: { json: false, tools: false, vision: false },
  ...over,
});

describe('costTrace', () => {
  it('prices the author\'s model exactly and never routes to something dearer', async () => {
    const r = await costTrace([call({})], { defaultOutputTokens: 1000 });
    // 18 prompt tokens (10 + two message overheads) at $2.50/M and 100 output tokens at $10/M.
    expect(r.configured.totalMicros).toBe(Math.ceil((18 * 2_500_000 + 100 * 10_000_000) / 1e6));
    expect(r.sameTier.totalMicros).toBeLessThanOrEqual(r.configured.totalMicros);
    expect(r.cheapest.totalMicros).toBeLessThanOrEqual(r.sameTier.totalMicros);
    expect(r.cheapest.totalMicros).toBeGreaterThan(0);
    expect(savingsPct(r.configured, r.cheapest)).toBeGreaterThan(0);
  });

  it('excludes and counts models missing from the price table, and counts defaulted models', async () => {
    const r = await costTrace(
      [call({ provider: 'gemini', model: 'gemini-1.0-pro' }), call({ provider: 'groq', model: 'llama' }), call({ model: 'gpt-4o-mini', modelDeclared: false, maxTokens: null })],
      { defaultOutputTokens: 1000 },
    );
    expect(r).toMatchObject({ calls: 3, priced: 1, defaultedModels: 1 });
    expect(r.unknown).toEqual([['gemini/gemini-1.0-pro', 1], ['groq/llama', 1]]);
    // The default output length applies when the node sets none: 18 in at $0.15/M, 1000 out at $0.60/M.
    expect(r.configured.totalMicros).toBe(Math.ceil((18 * 150_000 + 1000 * 600_000) / 1e6));
  });

  it('routes only to models that meet the call\'s needs', async () => {
    const r = await costTrace([call({ needs: { json: false, tools: false, vision: true } })], { defaultOutputTokens: 1000 });
    const [chosen] = r.cheapest.models[0] ?? [''];
    // DeepSeek has no image input, so a vision call can never land there.
    expect(chosen).not.toMatch(/^deepseek\//);
    expect(r.unroutable).toBe(0);
  });
});

describe('costTrace under the quality rule', () => {
  it('never sends a summarisation or chat call to a code model, and never costs more than the author’s model', async () => {
    const calls = [call({ model: 'gpt-4o-mini', kind: 'chainSummarization' }), call({ model: 'gpt-4o-mini' }), call({ model: 'gpt-4o-mini', kind: 'textClassifier', needs: { json: true, tools: false, vision: false } })];
    const r = await costTrace(calls, { defaultOutputTokens: 1000 });
    expect(r.tasks).toEqual([['classification', 1], ['general', 1], ['summarization', 1]]);
    for (const [m] of r.quality.models) expect(m).not.toMatch(/coder|codex/);
    expect(r.quality.totalMicros).toBeLessThanOrEqual(r.configured.totalMicros);
    expect(r.quality2pct.totalMicros).toBeLessThanOrEqual(r.quality.totalMicros);
    // The price-only rule still picks the code model: the figure the quality rule replaces.
    expect(r.cheapest.models.map(([m]) => m)).toContain('deepseek/deepseek-coder');
  });

  it('keeps a call on an unscored author model, and counts it', async () => {
    const r = await costTrace([call({ model: 'gpt-3.5-turbo' })], { defaultOutputTokens: 1000 });
    expect(r.quality.models).toEqual([['openai/gpt-3.5-turbo', 1]]);
    expect(r.qualityKept.equal).toBe(1);
    expect(r.quality.totalMicros).toBe(r.configured.totalMicros);
  });
});
