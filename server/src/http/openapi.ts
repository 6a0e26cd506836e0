// The OpenAPI 3.1 document, generated from the zod schemas every route was declared with.
import { z } from 'zod';
import type { RegisteredRoute } from './route.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, message: { type: 'string' } } } },
      },
    },
  },
};

export function buildOpenApi(routes: RegisteredRoute[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.schemas.params], ['query', r.schemas.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {
      [String(r.status)]: r.status === 204 ? { description: 'No content' } : { description: 'OK', content: { 'application/json': { schema: r.schemas.response ? jsonSchema(r.schemas.response, 'output') : {} } } },
      default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    };
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.schemas.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.schemas.body, 'input') } } } } : {}),
      responses,
      ...(r.auth === 'user' ? { security: [{ bearer: [] }, { session: [] }] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Keyflow API', version: info.version },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token from POST /api/tokens' },
        session: { type: 'apiKey', in: 'cookie', name: 'kf_session', description: 'Editor session; state-changing requests also need X-CSRF-Token' },
      },
    },
  };
}
