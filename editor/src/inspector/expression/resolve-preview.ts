// The resolved value of a field against the last run's data, with the engine's own evaluator
// (its browser-safe face): what the step would have received, or why it would have failed.
import { compileTemplate, evaluateTemplate, ExpressionError } from '@keyflow/engine/expr';
import { previewScope, type ScopeInfo } from './expression-scope.ts';

export type PreviewResult =
  | { state: 'none' }
  | { state: 'no-run' }
  | { state: 'value'; value: unknown; text: string }
  | { state: 'error'; message: string };

// Enough to read; a preview never renders megabytes.
const MAX_PREVIEW = 2_000;

function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'undefined';
  else text = JSON.stringify(value, null, 2) ?? String(value);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}

export function resolvePreview(template: string, info: ScopeInfo): PreviewResult {
  if (!template.includes('{{')) return { state: 'none' };
  if (!info.lastRun) return { state: 'no-run' };
  try {
    // Smaller bounds than a run: the preview is evaluated on every keystroke.
    const value = evaluateTemplate(compileTemplate(template), previewScope(info), { maxSteps: 20_000, maxBuildBytes: 1_048_576 });
    return { state: 'value', value, text: show(value) };
  } catch (error) {
    if (error instanceof ExpressionError) return { state: 'error', message: error.message };
    throw error;
  }
}
