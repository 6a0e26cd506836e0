import { describe, expect, it } from 'vitest';
import { createTestContext, parseNodeConfig } from '../contract/index.ts';
import { chatNode } from './chat.node.ts';
import { checkFormSubmission, type FormField } from './form-fields.ts';
import { formNode } from './form.node.ts';

const fields = [{ label: 'Email', name: 'email', type: 'email', required: true }];

describe('core.form config', () => {
  it('fills the defaults', () => {
    expect(parseNodeConfig(formNode, { fields })).toEqual({
      title: 'Form',
      fields: [{ label: 'Email', name: 'email', type: 'email', required: true }],
      buttonLabel: 'Submit',
      respondWith: 'message',
      message: 'Thank you, your answer was received.',
    });
    expect(parseNodeConfig(formNode, { fields: [{ label: 'Name', name: 'First name' }] }).fields).toEqual([{ label: 'Name', name: 'First name', type: 'text', required: false }]);
  });

  it.each([
    ['no fields', { fields: [] }, ['fields']],
    ['a select without options', { fields: [{ label: 'Role', name: 'role', type: 'select' }] }, ['fields', 0, 'options']],
    ['a field name used twice', { fields: [...fields, { label: 'Again', name: 'email' }] }, ['fields', 1, 'name']],
    ['a reserved field name', { fields: [{ label: 'x', name: '__proto__' }] }, ['fields', 0, 'name']],
    ['a control character in a name', { fields: [{ label: 'x', name: 'a\nb' }] }, ['fields', 0, 'name']],
    ['a file field', { fields: [{ label: 'CV', name: 'cv', type: 'file' }] }, ['fields', 0, 'type']],
    ['an unknown answer mode', { fields, respondWith: 'redirect' }, ['respondWith']],
    ['a short wait', { fields, timeoutMs: 10 }, ['timeoutMs']],
    ['an unknown key', { fields, html: '<b>' }, []],
  ])('refuses %s, naming the field', (_what, config, path) => {
    const r = formNode.config.safeParse(config);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('outputs the submission the server checked', async () => {
    const { output } = await formNode.run(createTestContext(parseNodeConfig(formNode, { fields }), { trigger: { fields: { email: 'a@b.co' }, submittedAt: '2026-01-02T03:04:05.000Z' } }));
    expect(output).toEqual({ fields: { email: 'a@b.co' }, submittedAt: '2026-01-02T03:04:05.000Z' });
  });
});

describe('checkFormSubmission', () => {
  const all: FormField[] = [
    { label: 'Name', name: 'name', type: 'text', required: true },
    { label: 'Email', name: 'email', type: 'email', required: false },
    { label: 'Age', name: 'age', type: 'number', required: false },
    { label: 'Born', name: 'born', type: 'date', required: false },
    { label: 'Role', name: 'role', type: 'select', required: false, options: ['A', 'B'] },
    { label: 'Agree', name: 'agree', type: 'checkbox', required: true },
    { label: 'About', name: 'about', type: 'textarea', required: false },
  ];
  const values = (o: Record<string, string | string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

  it('types the values, trims one-line text, drops names the form lacks', () => {
    const r = checkFormSubmission(all, values({ name: ' Ada ', email: 'ada@example.com', age: '-1.5e2', born: '2024-02-29', role: 'B', agree: 'on', about: 'a\r\nb', extra: 'x' }));
    expect(r).toEqual({ ok: true, fields: { name: 'Ada', email: 'ada@example.com', age: -150, born: '2024-02-29', role: 'B', agree: true, about: 'a\nb' } });
  });

  it('gives empty optional fields as null and an unchecked box as false', () => {
    expect(checkFormSubmission(all.filter((f) => f.name !== 'agree'), values({ name: 'x' }))).toEqual({ ok: true, fields: { name: 'x', email: null, age: null, born: null, role: null, about: null } });
  });

  it.each([
    [{ agree: 'on' }, 'name', 'Name is required'],
    [{ name: '   ', agree: 'on' }, 'name', 'Name is required'],
    [{ name: 'x' }, 'agree', 'Agree must be checked'],
    [{ name: 'x', agree: 'yes please' }, 'agree', 'Agree must be checked or not'],
    [{ name: 'x', agree: 'on', email: 'a@b' }, 'email', 'Email must be an email address'],
    [{ name: 'x', agree: 'on', age: '12abc' }, 'age', 'Age must be a number'],
    [{ name: 'x', agree: 'on', age: 'Infinity' }, 'age', 'Age must be a number'],
    [{ name: 'x', agree: 'on', born: '2023-02-29' }, 'born', 'Born must be a date (YYYY-MM-DD)'],
    [{ name: 'x', agree: 'on', role: 'C' }, 'role', 'Role must be one of the listed options'],
    [{ name: 'x'.repeat(1001), agree: 'on' }, 'name', 'Name is longer than 1000 characters'],
    [{ name: 'a\nb', agree: 'on' }, 'name', 'Name must be one line'],
    [{ name: ['a', 'b'], agree: 'on' }, 'name', 'Name was sent more than once'],
  ])('refuses %j at %s', (sent, field, message) => {
    const r = checkFormSubmission(all, values(sent));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ field, message });
  });
});

describe('core.chat', () => {
  it('defaults its page texts and refuses unknown keys', () => {
    expect(parseNodeConfig(chatNode, {})).toEqual({ title: 'Chat', placeholder: 'Type a message…' });
    expect(chatNode.config.safeParse({ script: 'x' }).success).toBe(false);
    expect(chatNode.config.safeParse({ timeoutMs: 500 }).success).toBe(false);
  });

  it("outputs the message, also as n8n's chatInput", async () => {
    const { output } = await chatNode.run(createTestContext(parseNodeConfig(chatNode, {}), { trigger: { sessionId: 'session-1', message: 'hi', receivedAt: '2026-01-02T03:04:05.000Z' } }));
    expect(output).toEqual({ sessionId: 'session-1', message: 'hi', chatInput: 'hi', receivedAt: '2026-01-02T03:04:05.000Z' });
  });
});
