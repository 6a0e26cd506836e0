import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAnswer, parseTaskFile, schemaProblems, type EvalTask } from './ai-quality-checks.ts';

const tasks = parseTaskFile(JSON.parse(readFileSync(new URL('../data/ai-quality-tasks.json', import.meta.url), 'utf8')));
const byId = (id: string) => tasks.find((t) => t.id === id) as EvalTask;

describe('the ai-quality checks', () => {
  it('loads the fixed task set: summarise, classify, extract, write', () => {
    expect(new Set(tasks.map((t) => t.task))).toEqual(new Set(['summarization', 'classification', 'extraction', 'writing']));
    expect(tasks.length).toBeGreaterThanOrEqual(12);
  });

  it('facts: passes a summary with every fact, fails one that drops a fact or runs long', () => {
    const t = byId('sum-outage');
    expect(checkAnswer(t, 'A pool capped at 50 connections caused 503s for 40% of payment calls; raising it back to 200 fixed it. About 3,100 payments failed.').pass).toBe(true);
    expect(checkAnswer(t, 'A pool limit caused 503 errors; it was fixed at 200.').problems).toEqual(['missing fact: 3,100 | 3100']);
    expect(checkAnswer(t, `503 pool 200 3100 ${'word '.repeat(100)}`).problems[0]).toMatch(/^too long/);
  });

  it('label: exact label only', () => {
    const t = byId('cls-ticket-1');
    expect(checkAnswer(t, 'billing').pass).toBe(true);
    expect(checkAnswer(t, ' "Billing". ').pass).toBe(true);
    expect(checkAnswer(t, 'bug').problems).toEqual(['wrong label: bug (expected billing)']);
    expect(checkAnswer(t, 'This is about billing').problems[0]).toMatch(/^not a label/);
  });

  it('json: valid against the schema with the expected values, fenced or not', () => {
    const t = byId('ext-lead');
    const good = { name: 'Marta Kowalski', company: 'Brightline Logistics', email: 'marta.k@brightline.example', employees: 240, wantsDemo: true };
    expect(checkAnswer(t, JSON.stringify(good)).pass).toBe(true);
    expect(checkAnswer(t, '```json\n' + JSON.stringify(good) + '\n```').pass).toBe(true);
    expect(checkAnswer(t, JSON.stringify({ ...good, employees: '240' })).problems).toEqual(['$.employees: expected integer', 'employees: "240" ≠ 240']);
    expect(checkAnswer(t, 'Marta, Brightline').problems).toEqual(['not JSON']);
    expect(checkAnswer(byId('ext-candidate'), JSON.stringify({ name: 'Daniel Osei', yearsExperience: 7, skills: ['Go', 'PostgreSQL'], remote: true })).problems).toEqual(['skills: lacks Kafka']);
  });

  it('schemaProblems: enum, required, nested arrays', () => {
    expect(schemaProblems({ currency: 'GBP' }, { type: 'object', required: ['total'], properties: { currency: { type: 'string', enum: ['EUR'] } } })).toEqual(['$.total: missing', '$.currency: not one of EUR']);
    expect(schemaProblems([1, 'x'], { type: 'array', items: { type: 'integer' } })).toEqual(['$[1]: expected integer']);
  });

  it('refuses a malformed task file, naming the task and field', () => {
    expect(() => parseTaskFile({ tasks: [{ id: 'a', task: 'poetry', reference: 'openai/x', system: 's', prompt: 'p', maxTokens: 5, check: { kind: 'facts', all: [] } }] })).toThrow('tasks[0] (a): "task" is not one of');
    expect(() => parseTaskFile({ tasks: [] })).toThrow('non-empty array');
  });
});

describe('bench ai-quality without keys', () => {
  it('prints what it would run and calls no provider', async () => {
    const { runAiQualityBench } = await import('../ai-quality.ts');
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const fetchSpy = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (async () => {
      fetched++;
      throw new Error('no network in this test');
    }) as typeof fetch;
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await runAiQualityBench({});
    } finally {
      process.stdout.write = write;
      globalThis.fetch = fetchSpy;
    }
    const text = lines.join('');
    expect(text).toContain('No provider keys in the environment: nothing is called');
    expect(text).toMatch(/sum-outage\s+summarization\s+openai\/gpt-4o-mini\s+\S+/);
    expect(text).not.toMatch(/deepseek-coder/);
    expect(fetched).toBe(0);
  });
});
