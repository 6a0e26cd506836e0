// The node catalogue for the editor: every installed node type and version, with its config
// JSON Schema (the editor renders forms from it) and its handles.
import { Hono } from 'hono';
import { z } from 'zod';
import { defaultRegistry, describeNode } from '@keyflow/nodes';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

export function nodeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const descriptors = defaultRegistry.list().map(describeNode);
  route(app, { method: 'get', path: '/api/nodes', tag: 'nodes', summary: 'Installed node types with their config schemas', response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) }, (c) => c.json({ items: descriptors }));
  return app;
}
