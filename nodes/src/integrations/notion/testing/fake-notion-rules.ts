// Notion's validation rules for what the fake accepts (blocks, rich text, property values)
// and the response shapes it answers with. Messages follow Notion's wording.

export class FakeNotionError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const validation = (message: string) => new FakeNotionError(400, 'validation_error', message);

export const BLOCK_TYPES = new Set(['paragraph', 'heading_1', 'heading_2', 'heading_3', 'bulleted_list_item', 'numbered_list_item', 'to_do', 'quote', 'code', 'divider', 'callout', 'toggle']);
export const CODE_LANGUAGES = new Set(['bash', 'shell', 'c', 'c++', 'c#', 'css', 'diff', 'docker', 'go', 'graphql', 'html', 'java', 'javascript', 'json', 'kotlin', 'markdown', 'php', 'python', 'ruby', 'rust', 'scala', 'sql', 'swift', 'typescript', 'xml', 'yaml', 'plain text', 'mermaid', 'powershell', 'r']);

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkRichText(value: unknown, at: string): void {
  if (!Array.isArray(value)) throw validation(`${at} should be an array, instead was \`${JSON.stringify(value)}\`.`);
  if (value.length > 100) throw validation(`${at}.length should be ≤ \`100\`, instead was \`${value.length}\`.`);
  value.forEach((item, i) => {
    const text = isObj(item) && isObj(item.text) ? item.text : undefined;
    if (!text || typeof text.content !== 'string') throw validation(`${at}[${i}].text should be defined, instead was \`undefined\`.`);
    if (text.content.length > 2000) throw validation(`${at}[${i}].text.content.length should be ≤ \`2000\`, instead was \`${text.content.length}\`.`);
    if (text.link !== undefined && text.link !== null) {
      const url = isObj(text.link) ? text.link.url : undefined;
      if (typeof url !== 'string' || !/^(https?:|mailto:)/.test(url)) throw validation(`Invalid URL for link.`);
    }
  });
}

/** Checks a children array; `depth` counts nesting levels already used in this request. */
export function checkBlocks(children: unknown, at: string, depth = 0): Json[] {
  if (!Array.isArray(children)) throw validation(`${at} should be an array, instead was \`${JSON.stringify(children)}\`.`);
  if (children.length > 100) throw validation(`${at}.length should be ≤ \`100\`, instead was \`${children.length}\`.`);
  return children.map((block, i) => {
    const where = `${at}[${i}]`;
    if (!isObj(block)) throw validation(`${where} should be an object.`);
    const type = typeof block.type === 'string' ? block.type : Object.keys(block).find((k) => BLOCK_TYPES.has(k));
    if (!type || !BLOCK_TYPES.has(type)) throw validation(`${where}.type should be a supported block type, instead was \`${String(block.type)}\`.`);
    const body = block[type];
    if (!isObj(body)) throw validation(`${where}.${type} should be defined, instead was \`undefined\`.`);
    if (type !== 'divider') checkRichText(body.rich_text, `${where}.${type}.rich_text`);
    if (type === 'code' && !CODE_LANGUAGES.has(String(body.language))) throw validation(`${where}.code.language should be a supported language, instead was \`${String(body.language)}\`.`);
    if (body.children !== undefined) {
      if (depth >= 2) throw validation(`${where}.${type}.children should be not present, instead was \`[...]\`.`);
      checkBlocks(body.children, `${where}.${type}.children`, depth + 1);
    }
    return { ...block, type };
  });
}

/** Response shape of request rich text (Notion fills annotations, plain_text and href). */
export function richTextResponse(items: unknown): Json[] {
  if (!Array.isArray(items)) return [];
  return items.map((item) => {
    const rec = item as { text: { content: string; link?: { url: string } | null }; annotations?: Json };
    const link = rec.text.link ?? null;
    return {
      type: 'text',
      text: { content: rec.text.content, link },
      annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default', ...rec.annotations },
      plain_text: rec.text.content,
      href: link ? link.url : null,
    };
  });
}

export interface FakeProperty {
  id: string;
  name: string;
  type: string;
  options?: string[];
}

export function schemaResponse(p: FakeProperty): Json {
  const config = p.options ? { options: p.options.map((name, i) => ({ id: `${p.id}-${i}`, name, color: 'default' })) } : {};
  return { id: p.id, name: p.name, description: null, type: p.type, [p.type]: config };
}

export function emptyValue(type: string): unknown {
  if (['title', 'rich_text', 'multi_select', 'people', 'relation', 'files'].includes(type)) return [];
  if (type === 'checkbox') return false;
  return null;
}

/** Validates one property value against its schema; returns the value to store. */
export function acceptPropertyValue(p: FakeProperty, value: unknown): unknown {
  if (!isObj(value) || !(p.type in value)) {
    const got = isObj(value) ? Object.keys(value).filter((k) => k !== 'type')[0] : typeof value;
    throw validation(`${p.name} is expected to be ${p.type}. (got ${got})`);
  }
  const v = value[p.type];
  const at = `body.properties.${p.name}.${p.type}`;
  switch (p.type) {
    case 'title':
    case 'rich_text':
      checkRichText(v, at);
      return richTextResponse(v);
    case 'number':
      if (v !== null && typeof v !== 'number') throw validation(`${at} should be a number or \`null\`, instead was \`${JSON.stringify(v)}\`.`);
      return v;
    case 'checkbox':
      if (typeof v !== 'boolean') throw validation(`${at} should be a boolean, instead was \`${JSON.stringify(v)}\`.`);
      return v;
    case 'status':
    case 'select': {
      if (v === null) return null;
      const name = isObj(v) ? v.name : undefined;
      if (typeof name !== 'string') throw validation(`${at}.name should be a string.`);
      if (name.includes(',')) throw validation(`Select option names cannot contain commas.`);
      if (p.type === 'status' && !p.options?.includes(name)) throw validation(`Invalid status option. Status option "${name}" does not exist.`);
      if (p.type === 'select' && !p.options?.includes(name)) (p.options ??= []).push(name);
      return { id: `${p.id}-${p.options?.indexOf(name) ?? 0}`, name, color: 'default' };
    }
    case 'multi_select':
      if (!Array.isArray(v)) throw validation(`${at} should be an array.`);
      return v.map((o) => {
        const name = String((o as Json).name);
        if (!p.options?.includes(name)) (p.options ??= []).push(name);
        return { id: `${p.id}-${p.options.indexOf(name)}`, name, color: 'default' };
      });
    case 'date': {
      if (v === null) return null;
      const start = isObj(v) ? v.start : undefined;
      if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) throw validation(`${at}.start should be a valid ISO 8601 date string, instead was \`${JSON.stringify(start)}\`.`);
      return { start, end: (v as Json).end ?? null, time_zone: (v as Json).time_zone ?? null };
    }
    case 'url':
    case 'email':
    case 'phone_number':
      if (v !== null && typeof v !== 'string') throw validation(`${at} should be a string or \`null\`.`);
      return v;
    case 'people':
    case 'relation':
      if (!Array.isArray(v) || !v.every((o) => isObj(o) && typeof o.id === 'string')) throw validation(`${at} should be an array of objects with an id.`);
      return v.map((o) => (p.type === 'people' ? { object: 'user', id: (o as Json).id } : { id: (o as Json).id }));
    default:
      throw validation(`${p.name} is a ${p.type} property and cannot be set.`);
  }
}
