// Custom fields by name: a project's custom field settings (or a task's own fields) say which
// fields exist, their types and enum options, so { "Priority": "High" } becomes Asana's
// { "<field gid>": "<option gid>" }. An unknown field or option fails before anything is written,
// naming what exists.
import { z } from 'zod';
import { ServiceProblemError } from '../framework/index.ts';
import type { AsanaClient } from './client.ts';
import { pageOf } from './schemas.ts';

const fieldShape = z.looseObject({
  gid: z.string(),
  name: z.string(),
  resource_subtype: z.string().nullish(),
  type: z.string().nullish(),
  enum_options: z.array(z.looseObject({ gid: z.string(), name: z.string(), enabled: z.boolean().nullish() })).nullish(),
});
export type CustomFieldDef = z.infer<typeof fieldShape>;

export const FIELD_OPT_FIELDS = ['custom_field.name', 'custom_field.resource_subtype', 'custom_field.type', 'custom_field.enum_options.name', 'custom_field.enum_options.enabled'];
const MAX_PAGES = 20;

/** Every custom field of a project, following next_page.offset. */
export async function projectCustomFields(client: AsanaClient, projectId: string): Promise<CustomFieldDef[]> {
  const out: CustomFieldDef[] = [];
  let offset: string | undefined;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const page = pageOf(await client.customFieldSettings.getCustomFieldSettingsForProject(projectId, { limit: 100, opt_fields: FIELD_OPT_FIELDS, ...(offset ? { offset } : {}) }), 'custom field settings');
    for (const item of page.items) {
      const parsed = fieldShape.safeParse((item as { custom_field?: unknown } | null)?.custom_field);
      if (parsed.success) out.push(parsed.data);
    }
    offset = page.nextOffset;
    if (!offset) break;
  }
  return out;
}

/** Parses a task's own custom_fields (GET /tasks/{gid}?opt_fields=custom_fields…). */
export function taskCustomFields(fields: unknown): CustomFieldDef[] {
  return (Array.isArray(fields) ? fields : []).flatMap((f) => {
    const parsed = fieldShape.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

const invalid = (message: string) => new ServiceProblemError({ kind: 'validation', message });
type Value = string | number | boolean | string[] | null;

function optionGid(field: CustomFieldDef, name: string): string {
  const options = (field.enum_options ?? []).filter((o) => o.enabled !== false);
  const hit = options.find((o) => o.name === name) ?? options.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!hit) throw invalid(`custom field "${field.name}" has no option "${name}" (options: ${options.map((o) => o.name).join(', ') || 'none'})`);
  return hit.gid;
}

function valueFor(field: CustomFieldDef, value: Value): unknown {
  if (value === null) return null;
  const kind = field.resource_subtype ?? field.type ?? 'text';
  switch (kind) {
    case 'number':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) throw invalid(`custom field "${field.name}" takes a number`);
      return Number(value);
    case 'enum':
      if (typeof value !== 'string') throw invalid(`custom field "${field.name}" takes one option name`);
      return optionGid(field, value);
    case 'multi_enum':
      return (Array.isArray(value) ? value : [String(value)]).map((v) => optionGid(field, v));
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw invalid(`custom field "${field.name}" takes a date (YYYY-MM-DD)`);
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { date: value } : { date_time: new Date(value).toISOString() };
    case 'people': {
      const ids = Array.isArray(value) ? value : [String(value)];
      if (!ids.every((id) => /^\d{1,40}$/.test(id))) throw invalid(`custom field "${field.name}" takes Asana user ids`);
      return ids;
    }
    default:
      if (typeof value === 'object') throw invalid(`custom field "${field.name}" takes text`);
      return String(value);
  }
}

/** { name: value } → { gid: Asana value }, checked against the fields that exist. */
export function resolveCustomFields(byName: Record<string, Value>, fields: CustomFieldDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(byName)) {
    const field = fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw invalid(`there is no custom field "${name}" here (fields: ${fields.map((f) => f.name).join(', ') || 'none'})`);
    out[field.gid] = valueFor(field, value);
  }
  return out;
}
