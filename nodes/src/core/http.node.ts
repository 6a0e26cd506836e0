import { z } from 'zod';
import { defineNode, NodeError, NonRetriableNodeError, RetryAfterNodeError } from '../contract/index.ts';
import { headerRecordSchema, publicHeaders } from './headers.ts';
import { responseBody, retryAfterMs } from './http-response.ts';

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed';
  // Userinfo would sit in the stored config in clear; credentials belong in a header.
  if (url.username !== '' || url.password !== '') return 'put credentials in a header, not in the URL';
  return undefined;
}

const BODYLESS = new Set(['GET', 'HEAD']);

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/** The request body as sent: strings and bytes as they are, anything else as JSON. */
function encodeBody(body: unknown, headers: Record<string, string>): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  return JSON.stringify(body);
}

/** A short, non-secret view of an error body for the run view. */
function snippet(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Calls an HTTP API through ctx.fetch (which holds the SSRF guard). 4xx fail for good
 * (except 408 and 429), 429 waits for Retry-After, 5xx and network errors retry. Messages name
 * the host only: a URL's query string may carry a key.
 */
export const httpNode = defineNode({
  type: 'core.http',
  version: 1,
  title: 'HTTP request',
  description: 'Calls a URL and returns the status, headers and body.',
  keywords: ["http", "api", "request", "call the api", "fetch", "download", "url", "rest", "get", "post to", "send to"],
  examples: [
    { text: "Fetch the data from an API", config: {"method": "GET", "url": "https://api.example.com/items"} },
  ],
  category: 'core',
  kind: 'action',
  config: z
    .strictObject({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
      url: z
        .string()
        .max(8192)
        .superRefine((value, ctx) => {
          const problem = urlProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      headers: headerRecordSchema.optional(),
      query: z.record(z.string().min(1).max(256), z.union([z.string(), z.number(), z.boolean()])).optional(),
      body: z.unknown().optional().describe('Text, or a value sent as JSON'),
      timeoutMs: z.int().min(100).max(300_000).default(30_000),
      followRedirects: z.boolean().default(true),
    })
    .refine((c) => !(BODYLESS.has(c.method) && c.body !== undefined && c.body !== null), { path: ['body'], message: 'GET and HEAD requests have no body' }),
  output: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), url: z.string(), body: z.unknown() }),
  async run(ctx) {
    const { method, timeoutMs, followRedirects } = ctx.config;
    const url = new URL(ctx.config.url);
    for (const [name, value] of Object.entries(ctx.config.query ?? {})) url.searchParams.append(name, String(value));
    const headers = { ...ctx.config.headers };
    // Stable across retries and resumes, so a server that honours it applies the call once.
    if (!hasHeader(headers, 'idempotency-key')) headers['idempotency-key'] = ctx.idempotencyKey;
    const body = encodeBody(ctx.config.body, headers);
    const host = url.host;

    let res;
    try {
      res = await ctx.fetch(url.toString(), { method, headers, body, timeoutMs, followRedirects, signal: ctx.signal });
    } catch (error) {
      if (error instanceof NodeError) throw error;
      throw new NodeError(`request to ${host} failed`, { cause: error, details: { host } });
    }

    const { status } = res;
    if (status >= 400) {
      const details = { status, host, body: snippet(res.text()) };
      const message = `HTTP ${status} from ${host}`;
      if (status === 429) throw new RetryAfterNodeError(message, retryAfterMs(res.headers['retry-after'], ctx.now()), { details });
      if (status === 408 || status >= 500) throw new NodeError(message, { details });
      throw new NonRetriableNodeError(message, { details });
    }
    return { output: { status, headers: publicHeaders(res.headers), url: res.url, body: responseBody(res) } };
  },
});
