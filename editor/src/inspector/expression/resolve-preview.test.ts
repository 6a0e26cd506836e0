import { describe, expect, it } from 'vitest';
import { expressionRanges } from './expression-ranges.ts';
import { resolvePreview } from './resolve-preview.ts';
import type { ScopeInfo } from './expression-scope.ts';

const run: ScopeInfo = {
  upstream: [],
  lastRun: { trigger: { body: { name: 'Ada', n: 2 } }, outputs: { shape: { greeting: 'Hello Ada', items: [1, 2, 3] } } },
};

describe('resolved preview', () => {
  it('evaluates against the last run with the engine evaluator', () => {
    expect(resolvePreview('Hi {{ $trigger.body.name }}!', run)).toMatchObject({ state: 'value', text: 'Hi Ada!' });
    // A single expression keeps its type.
    expect(resolvePreview('{{ $node["shape"].output.items }}', run)).toMatchObject({ state: 'value', value: [1, 2, 3] });
    expect(resolvePreview('{{ $trigger.body.n * 21 }}', run)).toMatchObject({ state: 'value', value: 42 });
    expect(resolvePreview('{{ upper($trigger.body.name) }}', run)).toMatchObject({ state: 'value', value: 'ADA' });
  });

  it('says why an expression fails, and that a run is needed first', () => {
    const r = resolvePreview('{{ $trigger.missing.name }}', run);
    expect(r.state).toBe('error');
    expect(r.state === 'error' && r.message).toMatch(/name/);
    expect(resolvePreview('{{ $trigger.body. }}', run).state).toBe('error');
    expect(resolvePreview('{{ $trigger }}', { upstream: [] })).toEqual({ state: 'no-run' });
    expect(resolvePreview('plain text', run)).toEqual({ state: 'none' });
  });
});

describe('expression ranges (highlighting)', () => {
  it('finds each {{ … }} with its closing braces, strings respected', () => {
    const text = 'a {{ $x }} b {{ "}}" + $y }} c {{ open';
    expect(expressionRanges(text)).toEqual([
      { from: 2, to: 10, closed: true },
      { from: 13, to: 28, closed: true },
      { from: 31, to: text.length, closed: false },
    ]);
  });
});
