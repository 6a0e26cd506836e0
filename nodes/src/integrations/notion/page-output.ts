// A Notion page as the next node sees it: ids, links, times and plain property values.
import { z } from 'zod';
import { fromPropertyValues } from './properties.ts';

export const pageOutput = z.object({
  id: z.string(),
  url: z.string(),
  createdTime: z.string().optional(),
  lastEditedTime: z.string().optional(),
  archived: z.boolean(),
  parent: z.record(z.string(), z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()),
});
export type PageOutput = z.infer<typeof pageOutput>;

/** Accepts the SDK's page responses (full or partial). */
export function toPageOutput(page: { id: string } & Record<string, unknown>): PageOutput {
  const p = page as { id: string; url?: string; created_time?: string; last_edited_time?: string; in_trash?: boolean; archived?: boolean; parent?: Record<string, unknown>; properties?: Record<string, unknown> };
  return {
    id: p.id,
    url: p.url ?? `https://www.notion.so/${p.id.replace(/-/g, '')}`,
    ...(p.created_time ? { createdTime: p.created_time } : {}),
    ...(p.last_edited_time ? { lastEditedTime: p.last_edited_time } : {}),
    archived: Boolean(p.in_trash ?? p.archived),
    ...(p.parent ? { parent: p.parent } : {}),
    properties: fromPropertyValues(p.properties ?? {}),
  };
}
