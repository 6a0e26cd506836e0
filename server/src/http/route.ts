// One declaration per endpoint: it registers the Hono handler, validates params, query and
// body with the shared zod schemas, and feeds the OpenAPI document and the route list that
// the owner-isolation test walks.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { Invalid, Unauthorized } from '@keyflow/engine';
import { parseJsonBody, readJsonBody, readRawBody } from './read-body.ts';
import type { AppEnv, AuthUser } from './types.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** 'user' (default) requires a session or API token; 'public' does not. */
  auth?: 'user' | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Response schema, for the OpenAPI document. */
  response?: z.ZodType;
  status?: number;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: AuthUser;
}

export interface RegisteredRoute {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth: 'user' | 'public';
  schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType; response?: z.ZodType };
  status: number;
}

/** Every route declared with `route()`, in order. */
export const routeRegistry: RegisteredRoute[] = [];

export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): { path: (string | number)[]; message: string }[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message }));
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw new Invalid(`invalid ${where}`, issuesOf(r.error, [where]));
  return r.data;
}

/** An optional body may be left out entirely: no bytes at all, whatever the headers say. */
async function bodyOf(c: Context<AppEnv>, schema: z.ZodType): Promise<unknown> {
  const limit = c.get('services').config.bodyLimitBytes;
  if (!schema.safeParse(undefined).success) return readJsonBody(c, limit);
  const raw = await readRawBody(c, limit);
  return raw.length === 0 ? undefined : parseJsonBody(c, raw);
}

export function route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  app: Hono<AppEnv>,
  spec: RouteSpec<P, Q, B>,
  handler: (c: Context<AppEnv>, input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Response> | Response,
): void {
  const auth = spec.auth ?? 'user';
  // Sub-apps are built once per app; list each endpoint once however many apps exist.
  if (!routeRegistry.some((r) => r.method === spec.method && r.path === spec.path)) routeRegistry.push({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tag: spec.tag,
    auth,
    schemas: { ...(spec.params && { params: spec.params }), ...(spec.query && { query: spec.query }), ...(spec.body && { body: spec.body }), ...(spec.response && { response: spec.response }) },
    status: spec.status ?? 200,
  });
  app.on(spec.method.toUpperCase(), spec.path, async (c) => {
    const user = c.get('user');
    if (auth === 'user' && !user) throw new Unauthorized();
    const params = parse(spec.params, c.req.param(), 'params');
    const query = parse(spec.query, c.req.query(), 'query');
    const body = spec.body ? parse(spec.body, await bodyOf(c, spec.body), 'body') : undefined;
    return handler(c, { params, query, body, user: user as AuthUser } as RouteInput<z.output<P>, z.output<Q>, z.output<B>>);
  });
}
