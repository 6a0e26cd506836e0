// The loopback HTTP server under the fakes of the token-in-JSON services (Typeform, Cal.com,
// Webflow, Telegram): records every request (with the raw body, for spec and canary checks) and
// hands it to the fake's handler. Tests only; it listens on 127.0.0.1:0.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Raw body text ('' when none). */
  body: string;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeHttp {
  readonly url: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeHttp(handler: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeHttp> {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = await readBody(req);
      let json: unknown;
      try {
        json = body === '' ? undefined : (JSON.parse(body) as unknown);
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const recorded: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, json };
      requests.push(recorded);
      const answer = await handler(recorded);
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers });
      res.end(answer.status === 204 ? undefined : text);
    })().catch(() => {
      res.writeHead(500);
      res.end('fake crashed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs `body` to `url` with `headers` (a service delivering to a webhook); the status and body text. */
export async function postDelivery(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: await res.text() };
}
