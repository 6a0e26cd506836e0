// The fields of a hosted form (core.form): their config schema and the server-side check of a
// submission. The browser's `required`/`type` attributes are a convenience; this is the rule.
import { z } from 'zod';

export const FORM_FIELD_TYPES = ['text', 'textarea', 'email', 'number', 'date', 'select', 'checkbox'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** Longest accepted value per field type, in characters. */
export const FORM_VALUE_MAX: Record<FormFieldType, number> = { text: 1_000, textarea: 20_000, email: 254, number: 40, date: 10, select: 200, checkbox: 10 };

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export const formFieldSchema = z
  .strictObject({
    label: z.string().min(1).max(200).describe('What the visitor reads above the field'),
    // Any printable text (n8n keys a submission by its labels, and imports keep them), but never
    // a key that means something to JavaScript objects.
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^\x00-\x1f\x7f]+$/, 'must be printable text')
      .refine((n) => !RESERVED_NAMES.has(n), 'is a reserved name')
      .describe('The key in $trigger.fields (e.g. email, or "First name")'),
    type: z.enum(FORM_FIELD_TYPES).default('text'),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(200)).max(100).optional().describe('The choices of a select field'),
    placeholder: z.string().max(200).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'select' && (!f.options || f.options.length === 0)) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs at least one option' });
  });
export type FormField = z.output<typeof formFieldSchema>;

export const formFieldsSchema = z
  .array(formFieldSchema)
  .min(1)
  .max(50)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the field name '${f.name}' is used twice` });
      seen.add(f.name);
    });
  });

export type FormValue = string | number | boolean | null;
export type FormCheck = { ok: true; fields: Record<string, FormValue> } | { ok: false; errors: { field: string; message: string }[] };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** One field's value, or the reason it is refused. Absent and empty are the same. */
function checkField(field: FormField, values: readonly string[]): { value: FormValue } | { error: string } {
  if (values.length > 1) return { error: 'was sent more than once' };
  const raw = values[0] ?? '';
  if (field.type === 'checkbox') {
    if (raw !== '' && raw !== 'on' && raw !== 'true') return { error: 'must be checked or not' };
    if (field.required && raw === '') return { error: 'must be checked' };
    return { value: raw !== '' };
  }
  if (raw.length > FORM_VALUE_MAX[field.type]) return { error: `is longer than ${FORM_VALUE_MAX[field.type]} characters` };
  const text = field.type === 'textarea' ? raw.replace(/\r\n/g, '\n') : raw.trim();
  if (text === '') return field.required ? { error: 'is required' } : { value: null };
  if (field.type !== 'textarea' && /[\r\n]/.test(text)) return { error: 'must be one line' };
  switch (field.type) {
    case 'email':
      return EMAIL.test(text) ? { value: text } : { error: 'must be an email address' };
    case 'number': {
      const n = Number(text);
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
    }
    case 'date':
      return validDate(text) ? { value: text } : { error: 'must be a date (YYYY-MM-DD)' };
    case 'select':
      return field.options?.includes(text) ? { value: text } : { error: 'must be one of the listed options' };
    default:
      return { value: text };
  }
}

/**
 * Checks a submission against the form's fields: every field named in the config, nothing else
 * kept (names the form does not have are dropped). `values` maps a field name to what was sent.
 */
export function checkFormSubmission(fields: readonly FormField[], values: ReadonlyMap<string, readonly string[]>): FormCheck {
  const out: Record<string, FormValue> = {};
  const errors: { field: string; message: string }[] = [];
  for (const field of fields) {
    const r = checkField(field, values.get(field.name) ?? []);
    if ('error' in r) errors.push({ field: field.name, message: `${field.label} ${r.error}` });
    else out[field.name] = r.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, fields: out };
}
