// Table tests of the quality rule (issue 12) on the pinned catalog and scores, plus a small
// hand-made table for ties and margins.
import { describe, expect, it } from 'vitest';
import { catalogFrom, loadCatalog } from '../catalog/catalog.ts';
import { loadQuality, qualityFrom, type Task } from '../catalog/quality/quality.ts';
import { providerIds, type ProviderId } from '../types.ts';
import { applyQuality } from './apply-quality.ts';
import { judge, type QualityMargin } from './quality-gate.ts';
import { NoModelAvailable } from './router-errors.ts';
import { rankCandidates } from './select-candidates.ts';
import { testEntries } from './test-stubs.ts';

const catalog = loadCatalog();
const quality = loadQuality();
const today = '2026-12-02';

function route(task: Task, reference: string, margin: QualityMargin = 'equal', providers: readonly ProviderId[] = providerIds, extra: { json?: boolean; vision?: boolean } = {}) {
  const needs = { json: extra.json ?? false, vision: extra.vision ?? false };
  const ranked = rankCandidates({ catalog, needs, providers: new Set(providers), promptTokens: 800, maxTokens: 500 });
  return applyQuality(ranked, { task, referenceModel: reference, margin }, needs, { catalog, quality, today, promptTokens: 800, maxTokens: 500 });
}

describe('the quality rule on the pinned catalog', () => {
  it.each<[Task, string]>([
    ['summarization', 'openai/gpt-4o-mini'],
    ['general', 'openai/gpt-4o-mini'],
    ['writing', 'openai/gpt-4o'],
    ['classification', 'openai/gpt-4o-mini'],
    ['extraction', 'openai/gpt-4o-mini'],
  ])('%s like %s never goes to a code model', (task, ref) => {
    const r = route(task, ref);
    expect(r.models.map((m) => m.ref).filter((x) => /coder|codex/.test(x))).toEqual([]);
    expect(r.explanation.rejected.find((x) => x.model === 'deepseek-coder')?.reason).toBe(`a coding model, never used for ${task}`);
  });

  it('every admitted substitute beats the reference on every shared measure, within noise', () => {
    for (const task of ['summarization', 'classification', 'general', 'coding', 'reasoning'] as const) {
      const r = route(task, 'openai/gpt-4o-mini');
      r.models.forEach((m, i) => {
        if (m.ref === 'openai/gpt-4o-mini') return;
        const s = r.scores[i] ?? [];
        expect(s.length, `${m.ref} for ${task}`).toBeGreaterThan(0);
        for (const x of s) expect(x.value).toBeGreaterThanOrEqual(x.floor);
      });
    }
  });

  it('a model without a score is never a substitute', () => {
    const unscored = catalog.models.filter((m) => quality.scoresOf(m.ref).length === 0).map((m) => m.ref);
    expect(unscored).toContain('anthropic/claude-opus-5');
    for (const task of ['general', 'summarization', 'coding'] as const) {
      const chosen = route(task, 'openai/gpt-4o-mini').models.map((m) => m.ref);
      expect(chosen.filter((r) => unscored.includes(r))).toEqual([]);
    }
    expect(judge({ quality, task: 'general', reference: 'openai/gpt-4o-mini', margin: 'equal', today }, 'anthropic/claude-opus-5')).toMatchObject({ ok: false, reason: expect.stringMatching(/no chat_writing score in a source that also scores/) });
  });

  it('an unscored reference admits only itself', () => {
    const r = route('general', 'openai/gpt-3.5-turbo');
    expect(r.models.map((m) => m.ref)).toEqual(['openai/gpt-3.5-turbo']);
  });

  it('a retired model is never chosen, not even as the reference', () => {
    for (const ref of ['deepseek/deepseek-chat', 'deepseek/deepseek-reasoner']) {
      expect(judge({ quality, task: 'general', reference: ref, margin: 'any', today }, ref)).toMatchObject({ ok: false, reason: expect.stringMatching(/^retired on 2026-07-24/) });
      expect(() => route('general', ref, 'equal', ['deepseek'])).toThrow(NoModelAvailable);
    }
    // Before its date it is still there.
    expect(judge({ quality, task: 'general', reference: 'deepseek/deepseek-chat', margin: 'any', today: '2026-07-23' }, 'deepseek/deepseek-chat').ok).toBe(true);
    expect(route('general', 'openai/gpt-4o-mini', 'any').models.map((m) => m.ref)).not.toContain('deepseek/deepseek-chat');
  });

  it('the margin widens and narrows the set', () => {
    const size = (m: QualityMargin) => route('summarization', 'openai/gpt-4.1-mini', m).models.length;
    const equal = size('equal');
    const within = size('within_2pct');
    const any = size('any');
    expect(equal).toBeGreaterThan(1);
    expect(within).toBeGreaterThan(equal);
    expect(any).toBeGreaterThan(within);
    const eq = new Set(route('summarization', 'openai/gpt-4.1-mini', 'equal').models.map((m) => m.ref));
    for (const r of route('summarization', 'openai/gpt-4.1-mini', 'within_2pct').models) eq.delete(r.ref);
    expect([...eq]).toEqual([]); // "within 2%" only adds
  });

  it('specialised code models may serve coding', () => {
    expect(judge({ quality, task: 'coding', reference: 'openai/gpt-4o-mini', margin: 'any', today }, 'deepseek/deepseek-coder').ok).toBe(true);
  });

  it('the owner policy drops models', () => {
    const needs = {};
    const ranked = rankCandidates({ catalog, needs, providers: new Set(providerIds), promptTokens: 800, maxTokens: 500 });
    const r = applyQuality(ranked, { task: 'general', referenceModel: 'openai/gpt-4o-mini', margin: 'equal', allow: (ref) => !ref.startsWith('deepseek/') }, needs, { catalog, quality, today, promptTokens: 800, maxTokens: 500 });
    expect(r.models.some((m) => m.provider === 'deepseek')).toBe(false);
  });

  it('an unknown reference model is refused by name', () => {
    expect(() => route('general', 'openai/gpt-9')).toThrow('reference model openai/gpt-9 is not in the price table');
  });
});

describe('ties and margins on a hand-made table', () => {
  // o-small and g-small cost the same; g-small scores higher, so it wins the tie.
  const table = catalogFrom(testEntries);
  const m = 'livebench-2026-01-08:instruction_following';
  const q = qualityFrom({
    scores: {
      'openai/o-big': [{ m, v: 60, row: 'x' }],
      'openai/o-small': [{ m, v: 60.5, row: 'x' }],
      'gemini/g-small': [{ m, v: 70, row: 'x' }],
      'deepseek/d-chat': [{ m, v: 59.5, row: 'x' }], // within 1 point of noise
      'anthropic/a-small': [{ m, v: 58.9, row: 'x' }], // within 2% (58.8 − 1 = 57.8) only
    },
    retirements: {},
  });
  const run = (margin: QualityMargin, order: ProviderId[] = []) => {
    const needs = {};
    const ranked = rankCandidates({ catalog: table, needs, providers: new Set(providerIds), promptTokens: 1000, maxTokens: 1000, providerOrder: order });
    return applyQuality(ranked, { task: 'classification', referenceModel: 'openai/o-big', margin }, needs, { catalog: table, quality: q, today, promptTokens: 1000, maxTokens: 1000 }).models.map((x) => x.ref);
  };

  it('equal cost: the better score first, whatever the provider order', () => {
    expect(run('equal')).toEqual(['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'openai/o-big']);
    expect(run('equal', ['openai'])).toEqual(['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'openai/o-big']);
  });

  it('within 2% lets a slightly weaker model in; any capable lets every model in', () => {
    expect(run('within_2pct')).toEqual(['gemini/g-small', 'openai/o-small', 'deepseek/d-chat', 'anthropic/a-small', 'openai/o-big']);
    expect(run('any')).toHaveLength(testEntries.length);
  });
});
