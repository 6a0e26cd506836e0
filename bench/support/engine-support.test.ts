import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPacedSpec, percentile, runPaced } from './engine-paced-load.ts';
import { parseMachineBusyTicks, parseStatTicks, pidsNamed, processCpuMs } from './engine-proc-stats.ts';
import { encodeCommand, flushBenchDb, redisDbIndex } from './engine-redis.ts';
import { chainGraph, poolSizeFor } from './engine-workflows.ts';
import { nodeRedFlow, nodeRedFlows } from './node-red.ts';

describe('chainGraph', () => {
  it('builds webhook → transform → respond for one step', () => {
    const g = chainGraph(1);
    expect(g.nodes.map((n) => `${n.id}:${n.type}`)).toEqual(['hook:core.webhook', 'shape:core.transform', 'reply:core.respond']);
    expect(g.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['hook>shape', 'shape>reply']);
    expect(g.nodes[0]!.config).toEqual({ responseMode: 'wait' });
    expect(g.nodes[2]!.config.body).toBe('{{ $node["shape"].output }}');
  });

  it('chains 20 transforms in a line and responds with the last', () => {
    const g = chainGraph(20);
    expect(g.nodes).toHaveLength(22);
    expect(g.edges).toHaveLength(21);
    expect(g.edges.every((e, i) => e.source === g.nodes[i]!.id && e.target === g.nodes[i + 1]!.id)).toBe(true);
    expect(g.nodes.at(-1)!.config.body).toBe('{{ $node["shape20"].output }}');
  });

  it.each([0, -1, 1.5])('refuses %s steps', (n) => {
    expect(() => chainGraph(n)).toThrow(/at least one step/);
  });
});

describe('poolSizeFor', () => {
  it.each([
    [1, 1],
    [480, 1],
    [481, 2],
    [50_000, 105],
  ])('%i requests → %i webhooks', (requests, hooks) => {
    expect(poolSizeFor(requests)).toBe(hooks);
  });
});

describe('/proc parsing', () => {
  it('reads utime + stime after a command name with spaces and parentheses', () => {
    const stat = '4242 (node (a) b) S 1 4242 4242 0 -1 4194304 100 0 0 0 700 55 0 0 20 0 11 0 9000 1000 200';
    expect(parseStatTicks(stat)).toBe(755);
  });

  it('counts busy machine ticks without idle and iowait', () => {
    expect(parseMachineBusyTicks('cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 1 2 3 4 5 6 7 8\n')).toBe(161);
  });

  it('sees this process spend CPU', () => {
    const before = processCpuMs(process.pid)!;
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)!).toBeGreaterThan(before);
  });

  it('is undefined for a process that does not exist, and finds none named nonsense', () => {
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
    expect(pidsNamed('no-such-process-name')).toEqual([]);
  });
});

describe('percentile', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
  ])('p%i of 1..100 is %i', (p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is 0 with no samples', () => {
    expect(percentile([], 99)).toBe(0);
  });
});

describe('paced load', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function listen(delayMs: number): Promise<{ origin: string; seen: string[] }> {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      req.on('end', () => setTimeout(() => res.end('{}'), delayMs));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it('sends rate × duration requests, cycling paths, and measures only after warm-up', async () => {
    const { origin, seen } = await listen(0);
    const r = await runPaced({ title: 't', origin, paths: ['/a', '/b'], body: '{}', rate: 200, durationS: 0.5, warmupS: 0.2, maxInFlight: 4 });
    expect(seen).toHaveLength(140);
    expect(seen.filter((p) => p === '/a')).toHaveLength(70);
    expect(r.total).toBe(100);
    expect(r.statusCodes).toEqual({ '200': 100 });
    expect(r.errors + r.timeouts + r.non2xx + r.dropped).toBe(0);
  });

  it('holds requests in a backlog when every connection is busy, counting them late', async () => {
    const { origin, seen } = await listen(100);
    const r = await runPaced({ title: 't', origin, paths: ['/x'], body: '{}', rate: 100, durationS: 0.3, maxInFlight: 2 });
    expect(seen).toHaveLength(30);
    expect(r.total).toBe(30);
    expect(r.late).toBeGreaterThan(0);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(r.latencyMs.p50);
  });

  it.each([
    [{ title: 't', origin: 'http://127.0.0.1:1', paths: ['/'], body: '', rate: 1, durationS: 1, maxInFlight: 1 }, true],
    [{ title: 't', origin: 'http://127.0.0.1:1', paths: [], body: '', rate: 1, durationS: 1, maxInFlight: 1 }, false],
    [{ title: 't', origin: 'http://127.0.0.1:1', paths: ['/'], body: '', rate: 0, durationS: 1, maxInFlight: 1 }, false],
    [null, false],
  ])('checks a spec %#', (spec, ok) => {
    expect(isPacedSpec(spec)).toBe(ok);
  });
});

describe('redis helpers', () => {
  it('encodes a command as RESP bulk strings', () => {
    expect(encodeCommand(['SELECT', '9'])).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n9\r\n');
  });

  it.each([
    ['redis://127.0.0.1:6379', 0],
    ['redis://127.0.0.1:6379/', 0],
    ['redis://127.0.0.1:6379/9', 9],
  ])('%s is database %i', (url, db) => {
    expect(redisDbIndex(url)).toBe(db);
  });

  it('refuses to flush database 0', async () => {
    await expect(flushBenchDb('redis://127.0.0.1:6379/0')).rejects.toThrow(/refusing/);
  });
});

describe('Node-RED flows', () => {
  it('wires http in → 20 change nodes → http response', () => {
    const flow = nodeRedFlow('/hook20', 20, 'twenty');
    const byId = new Map(flow.map((n) => [n.id, n]));
    let node = flow[0]!;
    const types: string[] = [];
    while (node) {
      types.push(node.type);
      const next = (node.wires as string[][])[0]?.[0];
      node = next ? byId.get(next)! : undefined!;
    }
    expect(types).toEqual(['http in', ...Array<string>(20).fill('change'), 'http response']);
    expect(flow.filter((n) => n.type === 'change').every((n) => JSON.stringify(n.rules).includes('jsonata'))).toBe(true);
  });

  it('puts both endpoints on one tab with unique ids', () => {
    const flows = nodeRedFlows();
    expect(new Set(flows.map((n) => n.id)).size).toBe(flows.length);
    expect(flows.filter((n) => n.type === 'http in').map((n) => n.url)).toEqual(['/hook1', '/hook20']);
  });
});
