// Shared config pieces and answer shapes of the Asana nodes.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';

/** An Asana id (gid): digits. */
export const asanaId = (what: string) => z.string().regex(/^\d{1,40}$/, `must be an Asana ${what} id (digits)`);

/** A due date: a day (YYYY-MM-DD → due_on) or a moment (ISO 8601 with time → due_at). */
export const asanaDue = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v))), 'must be a date (2025-03-01) or a date and time (2025-03-01T17:00:00Z)');

export function dueFields(due: string | null | undefined): Record<string, string | null> {
  if (due === undefined) return {};
  if (due === null) return { due_on: null, due_at: null };
  return /^\d{4}-\d{2}-\d{2}$/.test(due) ? { due_on: due } : { due_at: new Date(due).toISOString() };
}

/** Custom field values by the field's name (as shown in Asana): text, number, option name(s), date, people ids. */
export const customFieldsByName = z
  .record(z.string().min(1).max(200), z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string().max(1000)).max(100), z.null()]))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 custom fields')
  .describe('Custom field values by field name, e.g. { "Priority": "High", "Estimate": 3 }');

export const taskText = {
  name: z.string().min(1, 'give the task a name').max(1024),
  notes: z.string().max(65_000).describe('The description; Markdown-like **bold**, *italic*, `code`, [links](https://…) and "- " lists become Asana rich text'),
};

/** A task as the nodes answer it. */
export const taskOutput = z.object({
  gid: z.string(),
  url: z.string().nullable(),
  name: z.string().nullable(),
  completed: z.boolean().nullable(),
  dueOn: z.string().nullable(),
  assignee: z.string().nullable(),
});
export type TaskOutput = z.infer<typeof taskOutput>;
export const TASK_FIELDS = ['name', 'permalink_url', 'completed', 'due_on', 'due_at', 'assignee', 'created_at'];

const envelope = z.looseObject({ data: z.unknown() });
const taskShape = z.looseObject({
  gid: z.string(),
  name: z.string().nullish(),
  permalink_url: z.string().nullish(),
  completed: z.boolean().nullish(),
  due_on: z.string().nullish(),
  assignee: z.looseObject({ gid: z.string() }).nullish(),
});

/** The `data` of Asana's { data } envelope; a NodeError when the answer is not one. */
export function dataOf(raw: unknown, what: string): unknown {
  const parsed = envelope.safeParse(raw);
  if (!parsed.success) throw new NodeError(`Asana answered ${what} with something that is not its { data } envelope`, { details: { service: 'asana' } });
  return parsed.data.data;
}

export function toTaskOutput(data: unknown): TaskOutput {
  const parsed = taskShape.safeParse(data);
  if (!parsed.success) throw new NodeError('Asana answered with something that is not a task', { details: { service: 'asana' } });
  const t = parsed.data;
  return { gid: t.gid, url: t.permalink_url ?? null, name: t.name ?? null, completed: t.completed ?? null, dueOn: t.due_on ?? null, assignee: t.assignee?.gid ?? null };
}

/** One page of a list answer: items and the next offset (Asana's next_page.offset). */
const pageShape = z.looseObject({ data: z.array(z.unknown()), next_page: z.looseObject({ offset: z.string() }).nullish() });
export function pageOf(raw: unknown, what: string): { items: unknown[]; nextOffset: string | undefined } {
  const parsed = pageShape.safeParse(raw);
  if (!parsed.success) throw new NodeError(`Asana answered ${what} with something that is not a list page`, { details: { service: 'asana' } });
  return { items: parsed.data.data, nextOffset: parsed.data.next_page?.offset ?? undefined };
}
