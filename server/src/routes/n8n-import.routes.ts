// POST /api/workflows/import/n8n: an n8n export → { graph, report }. It saves nothing: the
// editor shows the report and saves the graph through the ordinary create route.
import { Hono } from 'hono';
import { Invalid } from '@keyflow/engine';
import { defaultRegistry } from '@keyflow/nodes';
import { n8nImportBody, n8nImportResponse } from '../contract/workflows.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

export function n8nImportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  route(
    app,
    { method: 'post', path: '/api/workflows/import/n8n', tag: 'workflows', summary: 'Convert an n8n workflow export into a graph and a report (nothing is saved)', body: n8nImportBody, response: n8nImportResponse },
    async (c, { body }) => {
      // The importer (its n8n type map and translators) loads on the first import, not in every server.
      const { importN8nWorkflow } = await import('@keyflow/engine/import');
      try {
        return c.json(importN8nWorkflow(body, { registry: defaultRegistry, minScheduleSeconds: c.get('services').config.minScheduleSeconds, maxNodes: c.get('services').config.maxWorkflowNodes }));
      } catch (error) {
        // The importer names fields of the export; the API names them under the body.
        if (error instanceof Invalid) throw new Invalid(error.message, error.issues.map((i) => ({ ...i, path: ['body', ...i.path] })));
        throw error;
      }
    },
  );
  return app;
}
