// Generation: a description becomes a graph to review; nothing is saved (the editor or the
// client saves it with POST /api/workflows once the user accepts).
import { Hono } from 'hono';
import { generate } from '@keyflow/engine';
import { defaultRegistry } from '@keyflow/nodes';
import { generateWorkflowBody, generateWorkflowResponse } from '../contract/generate.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv, Services } from '../http/types.ts';

// One generator per process (its circuit breaker is shared by every owner, keyed by owner).
const generators = new WeakMap<Services, generate.Generator>();

function generatorFor(services: Services): generate.Generator {
  let g = generators.get(services);
  if (!g) {
    g = generate.createGenerator({ db: services.db, keyring: services.keyring, providers: services.providers, registry: defaultRegistry });
    generators.set(services, g);
  }
  return g;
}

export function generateRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  route(
    app,
    { method: 'post', path: '/api/workflows/generate', tag: 'workflows', summary: 'Generate a workflow graph from a description (not saved)', body: generateWorkflowBody, response: generateWorkflowResponse },
    async (c, { body, user }) => {
      const services = c.get('services');
      const outcome = await generatorFor(services).generate(user.id, body.description, { minScheduleSeconds: services.config.minScheduleSeconds });
      if (outcome.ai?.failure) c.get('log').warn({ calls: outcome.ai.calls }, 'generate: AI path failed, planner answered');
      return c.json(outcome);
    },
  );
  return app;
}
