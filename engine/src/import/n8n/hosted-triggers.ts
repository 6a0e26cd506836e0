// n8n's Form Trigger → core.form and the LangChain Chat Trigger → core.chat. A form's texts are
// shown as written (Keyflow serves them as text, it evaluates nothing on a public page), and its
// fields keep their labels as names, since n8n keys a submission by label: `$json["Email"]` reads
// `$node["form"].output.fields["Email"]` here (Mapped.itemPath).
import { mapped, type MapContext, type MapOutcome } from './map-kit.ts';
import { isRecord } from './records.ts';

const FIELD_TYPES: Record<string, string> = { text: 'text', textarea: 'textarea', email: 'email', number: 'number', date: 'date', dropdown: 'select', password: 'text' };
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A form text: n8n's `=` marks an expression; a public page shows it as written. */
function plainText(value: unknown, what: string, notes: string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.startsWith('=') ? value.slice(1) : value;
  if (text.includes('{{')) notes.push(`the ${what} holds an n8n expression; a Keyflow form shows it as written`);
  return text.trim() === '' ? undefined : text;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function options(field: Record<string, unknown>): string[] {
  const values = isRecord(field.fieldOptions) && Array.isArray(field.fieldOptions.values) ? field.fieldOptions.values : [];
  return [...new Set(values.map((o) => (isRecord(o) && typeof o.option === 'string' ? cut(o.option, 200) : '')).filter((o) => o !== ''))].slice(0, 100);
}

export function formTrigger(ctx: MapContext): MapOutcome {
  const p = ctx.params;
  const notes: string[] = ['the form gets a new URL in Keyflow (its n8n path is not kept)'];
  const raw = isRecord(p.formFields) && Array.isArray(p.formFields.values) ? p.formFields.values : [];
  const fields: Record<string, unknown>[] = [];
  const names = new Set<string>();
  for (const [i, f] of raw.entries()) {
    if (!isRecord(f)) continue;
    const label = cut((typeof f.fieldLabel === 'string' ? f.fieldLabel : '').replace(/[\x00-\x1f\x7f]/g, ' ').trim() || `Field ${i + 1}`, 100);
    const n8nType = typeof f.fieldType === 'string' ? f.fieldType : 'text';
    const type = FIELD_TYPES[n8nType];
    if (!type) {
      notes.push(`the ${n8nType} field '${label}' was left out: a Keyflow form has no ${n8nType} field${n8nType === 'file' ? ' (file uploads are not taken)' : ''}`);
      continue;
    }
    let name = RESERVED.has(label) ? `${label}_` : label;
    for (let n = 2; names.has(name); n++) name = `${label} (${n})`;
    names.add(name);
    const field: Record<string, unknown> = { label, name, type, required: f.requiredField === true };
    if (type === 'select') {
      const opts = options(f);
      if (opts.length === 0) {
        notes.push(`the dropdown '${label}' has no options; it was left out`);
        continue;
      }
      field.options = opts;
      if (f.multiselect === true) notes.push(`the dropdown '${label}' allowed several choices; a Keyflow select takes one`);
    }
    if (n8nType === 'password') notes.push(`the password field '${label}' is a text field in Keyflow`);
    if (typeof f.placeholder === 'string' && f.placeholder.trim() !== '') field.placeholder = cut(f.placeholder, 200);
    fields.push(field);
    if (fields.length === 50) break;
  }
  if (fields.length === 0) return { failure: 'the form has no field a Keyflow form can take' };
  const opts = isRecord(p.options) ? p.options : {};
  const config: Record<string, unknown> = { fields };
  const title = plainText(p.formTitle, 'form title', notes);
  if (title) config.title = cut(title, 200);
  const description = plainText(p.formDescription, 'form description', notes);
  if (description) config.description = cut(description, 2_000);
  if (typeof opts.buttonLabel === 'string' && opts.buttonLabel.trim() !== '') config.buttonLabel = cut(opts.buttonLabel, 60);
  const respondWith = isRecord(opts.respondWithOptions) && isRecord(opts.respondWithOptions.values) ? opts.respondWithOptions.values : {};
  const message = plainText(respondWith.formSubmittedText, 'thank-you message', notes);
  if (message) config.message = cut(message, 2_000);
  if (p.responseMode === 'responseNode') config.respondWith = 'respond';
  else if (p.responseMode === 'lastNode') notes.push("n8n answered the form with the last node's data; Keyflow shows the thank-you message unless a Respond node is used");
  notes.push('field values are read from $trigger.fields (by label); submittedAt is beside them, not among them');
  return { ...mapped('core.form', config, notes), itemPath: '.fields' };
}

export function chatTrigger(ctx: MapContext): MapOutcome {
  const notes = ['the chat gets a new URL in Keyflow; each message is one run, answered by a Respond node or the last node; Keyflow keeps no chat memory'];
  const opts = isRecord(ctx.params.options) ? ctx.params.options : {};
  const config: Record<string, unknown> = {};
  const title = plainText(opts.title, 'chat title', notes);
  if (title) config.title = cut(title, 200);
  const welcome = plainText(ctx.params.initialMessages, 'welcome message', notes);
  if (welcome) config.welcome = cut(welcome, 2_000);
  if (typeof opts.allowedOrigins === 'string' && opts.allowedOrigins.trim() !== '*' && opts.allowedOrigins.trim() !== '') notes.push(`n8n allowed only ${cut(opts.allowedOrigins, 100)}; a Keyflow chat URL answers any origin (never with cookies)`);
  if (ctx.params.authentication !== undefined && ctx.params.authentication !== 'none') notes.push('n8n required a login for the chat; a Keyflow chat URL is public (its URL is the secret)');
  return mapped('core.chat', config, notes);
}
