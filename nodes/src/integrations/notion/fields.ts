// Config fields the Notion nodes share.
import { z } from 'zod';

/** A Notion id as typed or pasted: UUID, 32 hex digits, or a notion.so link; checked in run(). */
export const notionIdField = (what: string) => z.string().trim().min(1, 'required').max(500).describe(`The ${what}'s id, or its notion.so link`);

/** Markdown-ish page content; an AI answer lands readable. */
export const contentField = z.string().max(500_000).describe('Page content: markdown (headings, lists, bold, italic, code, links)');

/** `{ "<property name>": value }` with plain values, converted by the database's property types. */
export const propertiesField = z.record(z.string().min(1).max(200), z.unknown()).describe('Property values by property name: text, numbers, option names, dates, ids');
