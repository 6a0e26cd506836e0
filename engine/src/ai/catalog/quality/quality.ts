// Public benchmark scores per catalog model (scores.json, built by build-quality.ts; sources,
// dates and licences in SOURCE.md), the task → category → measure mapping the router compares
// on, and the two hand-kept lists that no benchmark gives: specialised models and retirements.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What an AI node asks for. Set by the user or inferred (a JSON schema → extraction, images → vision). */
export const tasks = ['general', 'writing', 'extraction', 'classification', 'summarization', 'coding', 'reasoning', 'vision'] as const;
export type Task = (typeof tasks)[number];

/** The capability categories scores are read in (issue 12). */
export const categories = ['chat_writing', 'instruction_following', 'coding', 'math_reasoning', 'data_structured', 'vision'] as const;
export type Category = (typeof categories)[number];

/**
 * Task → categories. A candidate is compared on every measure of these categories that it shares
 * with the reference (see quality-gate.ts).
 * - general, writing: chat and writing (human preference, LiveBench language);
 * - extraction: data and structured output (LiveBench data analysis: table reformat/join) plus
 *   instruction following (the schema is an instruction; no licensed JSON-mode benchmark exists);
 * - classification: instruction following (answer with one of the given labels);
 * - summarization: instruction following (LiveBench's IF set includes summarise/simplify) plus chat;
 * - coding: coding; reasoning: math and reasoning; vision: vision.
 */
export const taskCategories: Readonly<Record<Task, readonly Category[]>> = {
  general: ['chat_writing'],
  writing: ['chat_writing'],
  extraction: ['data_structured', 'instruction_following'],
  classification: ['instruction_following'],
  summarization: ['instruction_following', 'chat_writing'],
  coding: ['coding'],
  reasoning: ['math_reasoning'],
  vision: ['vision'],
};

/** One measurement scale: a source, its release, one metric. Scores compare only within one. */
export interface Measure {
  id: string;
  category: Category;
  /** Shown in explanations, e.g. "LiveBench 2026-01-08, instruction following". */
  label: string;
  /**
   * Noise allowed below the reference when the source gives no interval for this metric, in the
   * metric's own units. Chosen, not measured: LiveBench 1 point of 100 (its task scores move
   * about that much between re-runs of one model); Arena sub-slices 10 rating points (fewer votes
   * than the overall board, whose 95% intervals are ±3-5); Aider 2 points (one exercise of 225 is 0.44).
   */
  noise: number;
}

const lbReleases = ['2026-01-08', '2025-05-30', '2025-04-25'] as const;
const lb = (metric: string, category: Category, label: string): Measure[] =>
  lbReleases.map((r) => ({ id: `livebench-${r}:${metric}`, category, label: `LiveBench ${r}, ${label}`, noise: 1 }));

export const measures: readonly Measure[] = [
  { id: 'lmarena-text-2025-12-11:overall', category: 'chat_writing', label: 'LMArena text (style control) 2025-12-11, overall', noise: 10 },
  { id: 'lmarena-text-2025-12-11:creative_writing', category: 'chat_writing', label: 'LMArena text 2025-12-11, creative writing', noise: 10 },
  ...lb('language', 'chat_writing', 'language'),
  ...lb('instruction_following', 'instruction_following', 'instruction following'),
  { id: 'lmarena-text-2025-12-11:instruction_following', category: 'instruction_following', label: 'LMArena text 2025-12-11, instruction following', noise: 10 },
  ...lb('coding', 'coding', 'coding'),
  { id: 'aider-polyglot-2025-10-04:pass_rate_2', category: 'coding', label: 'Aider polyglot (board of 2025-10-04), pass rate', noise: 2 },
  { id: 'lmarena-text-2025-12-11:coding', category: 'coding', label: 'LMArena text 2025-12-11, coding', noise: 10 },
  ...lb('mathematics', 'math_reasoning', 'mathematics'),
  ...lb('reasoning', 'math_reasoning', 'reasoning'),
  { id: 'lmarena-text-2025-12-11:math', category: 'math_reasoning', label: 'LMArena text 2025-12-11, math', noise: 10 },
  ...lb('data_analysis', 'data_structured', 'data analysis'),
  { id: 'lmarena-vision-2025-12-11:overall', category: 'vision', label: 'LMArena vision (style control) 2025-12-11, overall', noise: 10 },
];
const measureById = new Map(measures.map((m) => [m.id, m]));
export function measureOf(id: string): Measure | undefined {
  return measureById.get(id);
}

export interface Score {
  /** Measure id. */
  m: string;
  v: number;
  /** 95% interval where the source gives one. */
  ci?: [number, number];
  /** The source's row (the variant) the number comes from. */
  row: string;
}

/**
 * Models built for one kind of task only: never a substitute for another task. Chat-only
 * catalog (build-catalog.ts already drops embeddings, audio, realtime, TTS and moderation), so
 * what is left is code models, matched by name.
 */
const specialisedPatterns: ReadonlyArray<[RegExp, Task]> = [[/(^|-)(coder|codex)(-|$)/, 'coding']];

export interface Retirement {
  date: string;
  source: string;
}

/**
 * Retirements the price table does not carry (it drops models deprecated before its build).
 * DeepSeek's two moving aliases: third-party reports (arikusi/deepseek-mcp-server v2.0.0 notes,
 * Open-Less/openless#132) cite DeepSeek's announcement api-docs.deepseek.com/news/news260424:
 * both became aliases of deepseek-v4-flash and retire on 2026-07-24. Not checked against
 * DeepSeek's own page (no network here); remove the rows if that proves wrong.
 */
export const retirements: Readonly<Record<string, Retirement>> = {
  'deepseek/deepseek-chat': { date: '2026-07-24', source: 'DeepSeek news 2026-04-24 as reported by third parties (unverified)' },
  'deepseek/deepseek-reasoner': { date: '2026-07-24', source: 'DeepSeek news 2026-04-24 as reported by third parties (unverified)' },
};

export interface QualityTable {
  /** Scores of a catalog ref (`provider/model`), empty when no source scores it. */
  scoresOf(ref: string): readonly Score[];
  /** The only task this model may serve, or null for a general model. */
  specialisedFor(ref: string): Task | null;
  /** The model's retirement, if any is known. */
  retirementOf(ref: string): Retirement | undefined;
}

const scoreSchema = z.object({ m: z.string(), v: z.number(), ci: z.tuple([z.number(), z.number()]).optional(), row: z.string() });
const fileSchema = z.record(z.string(), z.object({ canonical: z.string(), scores: z.array(scoreSchema) }));

export interface QualityData {
  scores: Record<string, readonly Score[]>;
  specialised?: Record<string, Task>;
  retirements?: Record<string, Retirement>;
}

/** A table from explicit data (tests), or from the pinned scores.json. */
export function qualityFrom(data: QualityData): QualityTable {
  for (const [ref, list] of Object.entries(data.scores)) {
    for (const s of list) if (!measureById.has(s.m)) throw new Error(`quality data for ${ref}: unknown measure ${s.m}`);
  }
  const specialised = data.specialised ?? {};
  const retired = data.retirements ?? retirements;
  return {
    scoresOf: (ref) => data.scores[ref] ?? [],
    specialisedFor: (ref) => {
      if (Object.hasOwn(specialised, ref)) return specialised[ref] ?? null;
      const model = ref.slice(ref.indexOf('/') + 1);
      return specialisedPatterns.find(([re]) => re.test(model))?.[1] ?? null;
    },
    retirementOf: (ref) => (Object.hasOwn(retired, ref) ? retired[ref] : undefined),
  };
}

let pinned: QualityTable | undefined;
/** The pinned quality table (scores.json). */
export function loadQuality(): QualityTable {
  if (!pinned) {
    const file = fileSchema.parse(JSON.parse(readFileSync(new URL('./scores.json', import.meta.url), 'utf8')));
    pinned = qualityFrom({ scores: Object.fromEntries(Object.entries(file).map(([ref, v]) => [ref, v.scores])) });
  }
  return pinned;
}

/** Infers the task when the node sets none: a JSON schema means extraction, images mean vision. */
export function inferTask(explicit: Task | undefined, hints: { json?: boolean; images?: boolean }): Task {
  if (explicit) return explicit;
  if (hints.images) return 'vision';
  if (hints.json) return 'extraction';
  return 'general';
}
