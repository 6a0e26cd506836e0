// A scriptable provider fake on a random loopback port. The wire format lives in a Dialect;
// this file records requests, checks auth, validates bodies and plays scripted replies.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The key the request authenticated with (from the provider's auth header). */
  key: string | undefined;
  /** Where the body broke the provider's spec; a broken request is answered 400. */
  specErrors: string[];
}

/** One scripted answer. Fields not given fall back to a realistic success. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Replaces the generated JSON body (success or error). */
  body?: unknown;
  text?: string;
  /** Provider-native usage object, exactly as that provider reports it. */
  usage?: Record<string, unknown>;
  model?: string;
  finishReason?: string;
  /** Error message for a generated error body. */
  message?: string;
  /** Raw SSE events (objects, serialised in the dialect's framing) instead of the generated stream. */
  stream?: unknown[];
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Stream this many frames, then stall with the connection open. */
  stallAfterFrames?: number;
  /** Drop the connection without answering. */
  reset?: boolean;
}

export type FakeHandler = (req: RecordedRequest) => FakeReply | undefined;
export type Operation = 'complete' | 'models';

export interface Dialect {
  readonly name: string;
  authKey(headers: IncomingHttpHeaders): string | undefined;
  operation(method: string, path: string, query: URLSearchParams): Operation | undefined;
  specErrors(op: Operation, req: RecordedRequest): string[];
  isStream(req: RecordedRequest): boolean;
  completion(req: RecordedRequest, reply: FakeReply): unknown;
  /** SSE frames, each already framed (`data: …\n\n`). */
  streamFrames(req: RecordedRequest, reply: FakeReply): string[];
  frame(event: unknown): string;
  models(): unknown;
  errorBody(status: number, message: string | undefined, req: RecordedRequest): unknown;
}

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly #dialect: Dialect;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #queue: FakeReply[] = [];
  #handler: FakeHandler | undefined;
  #port = 0;

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
    this.#server = createServer((req, res) => void this.#serve(req, res));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Queue replies, answered in order; an empty queue answers with a default success. */
  enqueue(...replies: FakeReply[]): void {
    this.#queue.push(...replies);
  }

  /** A handler wins over the queue while it returns a reply. */
  setHandler(handler: FakeHandler | undefined): void {
    this.#handler = handler;
  }

  /** Forget requests, queue and handler between tests. */
  reset(): void {
    this.requests.length = 0;
    this.#queue = [];
    this.#handler = undefined;
  }

  get lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error(`${this.#dialect.name} fake received no request`);
    return last;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw === '' ? undefined : (JSON.parse(raw) as unknown),
      key: this.#dialect.authKey(req.headers),
      specErrors: [],
    };
    this.requests.push(recorded);
    const reply = this.#handler?.(recorded) ?? this.#queue.shift() ?? {};
    if (reply.hang) return;
    if (reply.reset) return void req.socket.destroy();
    const d = this.#dialect;
    const op = d.operation(recorded.method, recorded.path, recorded.query);
    if (recorded.key === undefined) return this.#json(res, 401, d.errorBody(401, 'fake: no API key in the auth header', recorded));
    if (!op) return this.#json(res, 404, d.errorBody(404, `fake: no route ${recorded.method} ${recorded.path}`, recorded));
    recorded.specErrors = d.specErrors(op, recorded);
    if (recorded.specErrors.length > 0) return this.#json(res, 400, d.errorBody(400, `fake: request breaks the spec: ${recorded.specErrors.join('; ')}`, recorded));
    const status = reply.status ?? 200;
    if (status >= 400) return this.#json(res, status, reply.body ?? d.errorBody(status, reply.message, recorded), reply.headers);
    if (op === 'models') return this.#json(res, status, reply.body ?? d.models(), reply.headers);
    if (!d.isStream(recorded)) return this.#json(res, status, reply.body ?? d.completion(recorded, reply), reply.headers);
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    const frames = reply.stream ? reply.stream.map((e) => d.frame(e)) : d.streamFrames(recorded, reply);
    for (const [i, frame] of frames.entries()) {
      if (i === reply.stallAfterFrames) return;
      res.write(frame);
      // Separate writes, so the SDK sees the stream arrive in pieces as it does from the provider.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}
