// Reads a JSON body under a byte cap. Oversized → 413 (before buffering it all), malformed
// JSON → 400 naming the problem, a non-JSON content type → 415, text the database cannot
// store (NUL, lone surrogates) → 422 naming the field.
import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { AppError, BadRequest, Invalid, PayloadTooLarge } from '@keyflow/engine';
import { findUnstorableText, jsonTextIsStorable } from './storable-text.ts';

export async function readRawBody(c: Context, limit: number): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLarge(limit);
  // On a Node socket: straight from the IncomingMessage. `c.req.raw.body` would build a whole
  // fetch Request (its headers validated again) and a web stream over the socket for each request.
  const incoming = nodeIncoming(c);
  if (incoming && !incoming.readableDidRead) return readIncoming(incoming, limit);
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The request's IncomingMessage when @hono/node-server serves it (not under app.request). */
export function nodeIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : undefined;
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | undefined) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        // Stop buffering; the rest is drained (and dropped) by @hono/node-server after the answer.
        incoming.pause();
        done(new PayloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(undefined);
    const onError = (err: Error) => done(err);
    const onClose = () => done(incoming.readableEnded ? undefined : new Error('the client closed the connection before the body was read'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

export async function readJsonBody(c: Context, limit: number): Promise<unknown> {
  requireJson(c);
  const raw = await readRawBody(c, limit);
  if (raw.length === 0) throw new BadRequest('request body is empty; expected a JSON object');
  return parseJsonBody(c, raw);
}

function requireJson(c: Context): void {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 415, 'request body must be JSON (Content-Type: application/json)');
  }
}

/** Parses bytes already read; checks the content type, the syntax, the nesting depth and that every string is storable. */
export function parseJsonBody(c: Context, raw: Buffer): unknown {
  requireJson(c);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    // JSON.parse quotes the input around the fault, and the input may be a secret: keep only where.
    const at = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
    throw new BadRequest(`malformed JSON${at ? ` at position ${at}` : ''}: check quotes, commas and brackets`);
  }
  if (openers(raw) > MAX_DEPTH && depthOf(value) > MAX_DEPTH) throw new BadRequest(`JSON nested deeper than ${MAX_DEPTH} levels`);
  const bad = jsonTextIsStorable(raw) ? undefined : findUnstorableText(value);
  if (bad) throw new Invalid('invalid body', [{ path: ['body', ...bad.path], message: bad.message }]);
  return value;
}

const MAX_DEPTH = 64;

/** `{` and `[` bytes in JSON text (in strings too): the parsed value cannot nest deeper than this. */
function openers(raw: Buffer): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === 0x7b || raw[i] === 0x5b) n++;
  return n;
}

/** Nesting depth, iteratively (a recursive walk is what deep input is meant to break). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > MAX_DEPTH) return d;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}
