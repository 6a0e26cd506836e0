// Rebuilds scores.json from the compiled model-quality.json (see SOURCE.md for where its numbers
// come from). Run by hand when the quality data is refreshed, then update SOURCE.md:
//   node engine/src/ai/catalog/quality/build-quality.ts <path/to/model-quality.json>
// Only what the router needs is kept: per catalog id, one score per measure (source, release,
// metric), taken from the row that matches the settings Keyflow sends (no reasoning parameters,
// so the provider's default), with the 95% interval where the source gives one.
import { readFileSync, writeFileSync } from 'node:fs';

type Row = Record<string, unknown>;
interface Source {
  models: Record<string, { livebench?: Record<string, Record<string, Row>>; lmarena_text?: Record<string, Row>; lmarena_vision?: Record<string, Row>; aider_polyglot?: Record<string, Row> }>;
  index: Record<string, string>;
}

/**
 * The variant the router's call matches. Keyflow sends no effort or thinking parameter, so the
 * provider's default applies: no thinking for Anthropic (whose default effort is high), medium
 * effort for gpt-5 / o-series, none for gpt-5.1+ (LiveBench "-nothinking"), dynamic thinking for
 * Gemini (LiveBench lists Gemini only with thinking on). A model with only other variants gets no
 * score from that table: a high-effort number would overstate what the call gets.
 */
export function defaultVariant(names: readonly string[], canonical: string): string | undefined {
  const provider = canonical.split('/')[0];
  const plain = names.find((n) => !/(-minimal|-low|-medium|-high|-xhigh|-nothinking|-thinking.*|-base|-effort|-highthinking|\(.*\))$/.test(n) && !/-high$/.test(n));
  if (plain) return plain;
  const prefer = [/-base$/, /-nothinking$/, /-medium$/, /\((medium|no think|no thinking|default think)\)$/];
  if (provider === 'anthropic') prefer.push(/^claude-[a-z0-9.-]+-high-effort$/);
  if (provider === 'gemini') prefer.push(/-highthinking$/, /-high$/);
  for (const re of prefer) {
    const hit = names.find((n) => re.test(n) && !(provider === 'anthropic' && /thinking/.test(n)));
    if (hit) return hit;
  }
  return undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const lbCategories = ['reasoning', 'coding', 'mathematics', 'data_analysis', 'language', 'instruction_following'] as const;
const arenaText = ['overall', 'creative_writing', 'coding', 'math', 'instruction_following'] as const;

/** [measure id, score, ci low?, ci high?] with the variant name behind it. */
export type Score = { m: string; v: number; ci?: [number, number]; row: string };

export function extractScores(src: Source): Record<string, { canonical: string; scores: Score[] }> {
  const out: Record<string, { canonical: string; scores: Score[] }> = {};
  for (const [ref, canonical] of Object.entries(src.index).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const m = src.models[canonical];
    if (!m) continue;
    const scores: Score[] = [];
    for (const [release, rows] of Object.entries(m.livebench ?? {})) {
      const row = defaultVariant(Object.keys(rows), canonical);
      if (!row) continue;
      for (const c of lbCategories) {
        const v = num(rows[row]?.[c]);
        if (v !== undefined) scores.push({ m: `livebench-${release}:${c}`, v, row });
      }
    }
    const arena = (table: Record<string, Row> | undefined, id: string, metrics: readonly string[]) => {
      const row = table && defaultVariant(Object.keys(table), canonical);
      if (!table || !row) return;
      for (const c of metrics) {
        const v = num(table[row]?.[c]);
        if (v === undefined) continue;
        const ci = c === 'overall' ? table[row]?.overall_ci95 : undefined;
        scores.push({ m: `${id}:${c}`, v, ...(Array.isArray(ci) && ci.length === 2 ? { ci: [Number(ci[0]), Number(ci[1])] as [number, number] } : {}), row });
      }
    };
    arena(m.lmarena_text, 'lmarena-text-2025-12-11', arenaText);
    arena(m.lmarena_vision, 'lmarena-vision-2025-12-11', ['overall']);
    const aider = m.aider_polyglot;
    const aiderRow = aider && defaultVariant(Object.keys(aider), canonical);
    const pass = aiderRow ? num(aider?.[aiderRow]?.pass_rate_2) : undefined;
    if (aiderRow && pass !== undefined) scores.push({ m: 'aider-polyglot-2025-10-04:pass_rate_2', v: pass, row: aiderRow });
    if (scores.length > 0) out[ref] = { canonical, scores };
  }
  return out;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: build-quality.ts <model-quality.json>');
  const models = extractScores(JSON.parse(readFileSync(path, 'utf8')) as Source);
  const outFile = new URL('./scores.json', import.meta.url);
  const lines = Object.entries(models).map(([ref, v]) => `  ${JSON.stringify(ref)}: ${JSON.stringify(v)}`);
  writeFileSync(outFile, '{\n' + lines.join(',\n') + '\n}\n');
  process.stdout.write(`wrote scores for ${lines.length} catalog ids to ${outFile.pathname}\n`);
}
