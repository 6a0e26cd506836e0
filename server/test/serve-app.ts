// The app on a real loopback socket, called from chosen source addresses (127.0.0.2,
// 127.0.0.3…: all of 127/8 is loopback on Linux), so per-client limits see distinct clients
// exactly as in production — from the socket's peer address, not from a header.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { createApp } from '../src/app.ts';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ServedApp {
  /** Calls the app from `from` (a 127.0.0.x address) with a JSON body. */
  call(from: string, method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  close(): Promise<void>;
}

export async function serveApp(app: ReturnType<typeof createApp>): Promise<ServedApp> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    call: callAt(port),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Calls whatever listens on 127.0.0.1:`port` (this process's app or another process) from `from`. */
export function callAt(port: number): ServedApp['call'] {
  return (from, method, path, opts = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const req = request({ host: '127.0.0.1', port, localAddress: from, method, path, agent: false, headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text && /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}
