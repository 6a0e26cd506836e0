import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { descriptor } from '../test-descriptors.ts';
import { expressionCompletionSource, openExpressionAt } from './complete-expression.ts';
import type { ScopeInfo } from './expression-scope.ts';

const info: ScopeInfo = {
  upstream: [
    { id: 'shape', name: 'Shape the lead', type: 'core.transform', descriptor: descriptor('core.transform') },
    { id: 'fetch', type: 'core.http', descriptor: descriptor('core.http') },
    { id: 'hook', name: 'Incoming lead', type: 'core.webhook', descriptor: descriptor('core.webhook') },
  ],
};
const withRun: ScopeInfo = {
  ...info,
  lastRun: {
    trigger: { body: { name: 'Ada', 'e-mail': 'ada@example.test', tags: ['vip'] }, headers: {}, query: {}, method: 'POST' },
    outputs: { shape: { greeting: 'Hello Ada', score: 4 } },
  },
};

/** Runs the CodeMirror completion source on `doc`, the cursor at `|`. */
function complete(docWithCursor: string, scope: ScopeInfo = info, explicit = false): CompletionResult | null {
  const pos = docWithCursor.indexOf('|');
  const doc = docWithCursor.replace('|', '');
  const state = EditorState.create({ doc, selection: { anchor: pos } });
  const result = expressionCompletionSource(() => scope)(new CompletionContext(state, pos, explicit));
  return result instanceof Promise ? null : result;
}

const labels = (r: CompletionResult | null) => r?.options.map((o) => o.label) ?? [];

describe('expression autocomplete', () => {
  it('offers nothing in plain text, or after a closed expression', () => {
    expect(complete('Hello $tr|')).toBeNull();
    expect(complete('{{ $trigger }} and $tr|')).toBeNull();
  });

  it('offers the roots right after {{ and while typing one', () => {
    expect(labels(complete('Hi {{ |'))).toEqual(['$trigger', '$node', '$run']);
    const r = complete('Hi {{ $tr|');
    expect(labels(r)).toContain('$trigger');
    expect(r!.from).toBe('Hi {{ '.length);
  });

  it('offers upstream node ids after $node[, nearest first, completing to .output', () => {
    const r = complete('{{ $node[|');
    expect(labels(r)).toEqual(['["shape"]', '["fetch"]', '["hook"]']);
    expect(r!.options[0]!.apply).toBe('["shape"].output');
    expect(r!.options[0]!.detail).toBe('Shape the lead');
    expect(r!.from).toBe('{{ $node'.length);
  });

  it("offers a node's output fields from its output schema", () => {
    expect(labels(complete('{{ $node["fetch"].|'))).toEqual(['output']);
    expect(labels(complete('{{ $node["fetch"].output.|'))).toEqual(['status', 'headers', 'url', 'body']);
    const r = complete('{{ $node["fetch"].output.st|');
    expect(r!.from).toBe('{{ $node["fetch"].output.'.length);
  });

  it("offers the trigger's fields from the trigger node's schema, then from the last run's real data", () => {
    expect(labels(complete('{{ $trigger.|'))).toEqual(['method', 'headers', 'query', 'body']);
    // No schema for the body's inside; the last run shows what it held.
    expect(labels(complete('{{ $trigger.body.|'))).toEqual([]);
    const r = complete('{{ $trigger.body.|', withRun);
    expect(labels(r)).toEqual(['name', 'e-mail', 'tags']);
    expect(r!.options[0]!.info).toBe('last run: "Ada"');
    expect(r!.options[0]!.detail).toBe('string');
    // A key that is not an identifier is inserted with brackets.
    expect(typeof r!.options[1]!.apply).toBe('function');
  });

  it('offers fields of a node without an output schema from its last output', () => {
    expect(labels(complete('{{ $node["shape"].output.|'))).toEqual([]);
    expect(labels(complete('{{ $node["shape"].output.|', withRun))).toEqual(['greeting', 'score']);
    expect(labels(complete("{{ $node['shape'].output.|", withRun))).toEqual(['greeting', 'score']);
  });

  it('offers $run fields', () => {
    expect(labels(complete('{{ $run.|'))).toEqual(['id', 'workflowId', 'startedAt']);
  });

  it('knows where an expression is open, strings included', () => {
    expect(openExpressionAt('a {{ b', 6)).toBe(2);
    expect(openExpressionAt('a {{ "}}" ', 10)).toBe(2);
    expect(openExpressionAt('a {{ b }} c', 11)).toBe(-1);
  });
});
