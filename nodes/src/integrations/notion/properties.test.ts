import { describe, expect, it } from 'vitest';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { normalizeNotionId } from './ids.ts';
import { describeProperty, fromPropertyValues, PropertyValueError, toPropertyValue, toPropertyValues, type PropertySchemas } from './properties.ts';

const USER = '6a1f0c1e-2b3d-4c5e-8f90-1a2b3c4d5e6f';
const PAGE = '0123456789abcdef0123456789abcdef';
const PAGE_DASHED = '01234567-89ab-cdef-0123-456789abcdef';

const schemas: PropertySchemas = {
  Name: { id: 'title', name: 'Name', type: 'title' },
  Notes: { id: 'n1', name: 'Notes', type: 'rich_text' },
  Price: { id: 'p1', name: 'Price', type: 'number' },
  Kind: { id: 'k1', name: 'Kind', type: 'select', select: { options: [{ name: 'Bug' }] } },
  Tags: { id: 't1', name: 'Tags', type: 'multi_select', multi_select: { options: [] } },
  Stage: { id: 's1', name: 'Stage', type: 'status', status: { options: [{ name: 'Not started' }, { name: 'Done' }] } },
  Due: { id: 'd1', name: 'Due', type: 'date' },
  Done: { id: 'c1', name: 'Done', type: 'checkbox' },
  Link: { id: 'u1', name: 'Link', type: 'url' },
  Mail: { id: 'e1', name: 'Mail', type: 'email' },
  Phone: { id: 'ph', name: 'Phone', type: 'phone_number' },
  Owner: { id: 'o1', name: 'Owner', type: 'people' },
  Related: { id: 'r1', name: 'Related', type: 'relation' },
  Total: { id: 'f1', name: 'Total', type: 'formula' },
};

describe('toPropertyValue', () => {
  it.each([
    ['Name', 'Hello', { title: [{ type: 'text', text: { content: 'Hello' } }] }],
    ['Notes', '**not bold**', { rich_text: [{ type: 'text', text: { content: '**not bold**' } }] }],
    ['Notes', null, { rich_text: [] }],
    ['Price', 12.5, { number: 12.5 }],
    ['Price', ' 42 ', { number: 42 }],
    ['Price', null, { number: null }],
    ['Kind', 'Feature', { select: { name: 'Feature' } }],
    ['Kind', null, { select: null }],
    ['Tags', ['a', 'b'], { multi_select: [{ name: 'a' }, { name: 'b' }] }],
    ['Tags', 'a, b ,c', { multi_select: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }],
    ['Stage', 'Done', { status: { name: 'Done' } }],
    ['Due', '2025-03-01', { date: { start: '2025-03-01' } }],
    ['Due', '2025-03-01T10:00:00Z', { date: { start: '2025-03-01T10:00:00Z' } }],
    ['Due', { start: '2025-03-01', end: '2025-03-05', timeZone: 'Europe/Paris' }, { date: { start: '2025-03-01', end: '2025-03-05', time_zone: 'Europe/Paris' } }],
    ['Done', true, { checkbox: true }],
    ['Done', 'false', { checkbox: false }],
    ['Link', 'https://example.com/a', { url: 'https://example.com/a' }],
    ['Mail', 'ada@example.com', { email: 'ada@example.com' }],
    ['Phone', '+33 1 23 45 67 89', { phone_number: '+33 1 23 45 67 89' }],
    ['Owner', USER, { people: [{ object: 'user', id: USER }] }],
    ['Related', [PAGE, { id: PAGE_DASHED }], { relation: [{ id: PAGE_DASHED }, { id: PAGE_DASHED }] }],
  ])('%s ← %j', (name, value, expected) => {
    expect(toPropertyValue(schemas[name]!, value)).toEqual(expected);
  });

  it.each([
    ['Price', 'abc', "'Price' (number): expected a number"],
    ['Price', true, "'Price' (number): expected a number"],
    ['Name', { a: 1 }, "'Name' (title): expected a text, got an object"],
    ['Kind', 'a,b', 'cannot contain a comma'],
    ['Stage', 'Finished', 'no status named "Finished"; the statuses are: Not started, Done'],
    ['Due', 'next tuesday', "'Due' (date): expected an ISO 8601 date"],
    ['Due', '2025-13-45', "'Due' (date)"],
    ['Done', 'yes', "'Done' (checkbox): expected true or false"],
    ['Link', 'javascript:alert(1)', "'Link' (url): expected an http(s) URL"],
    ['Mail', 'not-an-email', "'Mail' (email)"],
    ['Owner', 'ada', "'Owner' (people): expected a user id"],
    ['Related', ['nope'], "'Related' (relation): expected a page id"],
    ['Total', 3, 'Notion computes formula properties itself'],
    ['Name', undefined, 'a value is required'],
  ])('refuses %s ← %j naming the property and the expected type', (name, value, message) => {
    const attempt = () => toPropertyValue(schemas[name]!, value);
    expect(attempt).toThrow(PropertyValueError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as PropertyValueError).retryable).toBe(false);
      expect((err as PropertyValueError).details).toMatchObject({ property: name });
    }
  });

  it('refuses text longer than a property holds (100 items of 2000)', () => {
    expect(toPropertyValue(schemas.Notes!, 'x'.repeat(200_000))).toMatchObject({ rich_text: { length: 100 } });
    expect(() => toPropertyValue(schemas.Notes!, 'x'.repeat(200_001))).toThrow("Notion property 'Notes' (rich_text): text is too long: Notion keeps at most 200000 characters");
  });

  it('cuts a long title at 2000 characters per item', () => {
    const v = toPropertyValue(schemas.Name!, 'x'.repeat(2500)) as { title: { text: { content: string } }[] };
    expect(v.title.map((i) => i.text.content.length)).toEqual([2000, 500]);
  });
});

describe('toPropertyValues', () => {
  it('converts a map by the schema', () => {
    expect(toPropertyValues(schemas, { Name: 'A', Price: 1 })).toEqual({ Name: { title: [{ type: 'text', text: { content: 'A' } }] }, Price: { number: 1 } });
  });

  it('names an unknown property, suggests a case-only match and lists the real ones', () => {
    expect(() => toPropertyValues(schemas, { price: 1 })).toThrow(NonRetriableNodeError);
    expect(() => toPropertyValues(schemas, { price: 1 })).toThrow("no property 'price' (did you mean 'Price'?); its properties are: Name, Notes, Price");
  });
});

describe('fromPropertyValues', () => {
  it('reads a page back as plain values', () => {
    expect(
      fromPropertyValues({
        Name: { id: 'title', type: 'title', title: [{ plain_text: 'Hel' }, { plain_text: 'lo' }] },
        Price: { id: 'p', type: 'number', number: 3 },
        Kind: { id: 'k', type: 'select', select: { name: 'Bug' } },
        Tags: { id: 't', type: 'multi_select', multi_select: [{ name: 'a' }] },
        Due: { id: 'd', type: 'date', date: { start: '2025-01-01', end: null } },
        Owner: { id: 'o', type: 'people', people: [{ object: 'user', id: USER }] },
        Total: { id: 'f', type: 'formula', formula: { type: 'number', number: 9 } },
        Ticket: { id: 'u', type: 'unique_id', unique_id: { prefix: 'KF', number: 12 } },
      }),
    ).toEqual({ Name: 'Hello', Price: 3, Kind: 'Bug', Tags: ['a'], Due: '2025-01-01', Owner: [USER], Total: 9, Ticket: 'KF-12' });
  });
});

describe('describeProperty', () => {
  it('gives type, writability and options for the editor', () => {
    expect(describeProperty(schemas.Stage!)).toEqual({ name: 'Stage', id: 's1', type: 'status', writable: true, expected: 'a status name', options: ['Not started', 'Done'] });
    expect(describeProperty(schemas.Total!)).toMatchObject({ writable: false });
  });
});

describe('normalizeNotionId', () => {
  it.each([
    [PAGE, PAGE_DASHED],
    [PAGE_DASHED.toUpperCase(), PAGE_DASHED],
    [`https://www.notion.so/team/My-Tasks-${PAGE}?v=abc`, PAGE_DASHED],
    ['not an id', undefined],
    [`http://evil.example/${PAGE}`, undefined],
    ['0123456789abcdef', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizeNotionId(input)).toBe(expected);
  });
});
