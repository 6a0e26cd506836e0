// Empties the bench's own Redis database index (never db 0, which tests use) before and after
// queue mode. A few lines of RESP over a socket: the bench package has no Redis client.
import { connect } from 'node:net';

/** One command in RESP (an array of bulk strings). */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** The database index in a redis:// URL's path; 0 when absent. */
export function redisDbIndex(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  if (path === '') return 0;
  if (!/^\d+$/.test(path)) throw new Error(`not a Redis database index: "${path}"`);
  return Number(path);
}

/** Sends commands whose replies are one line each (+OK, :1, -ERR …) and returns those lines. */
export function redisSimple(url: string, commands: string[][], timeoutMs = 5000): Promise<string[]> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Redis at ${u.host} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Redis is not reachable at ${u.host}: ${err.message}`));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n').filter((l) => l !== '');
      if (lines.length < commands.length) return;
      clearTimeout(timer);
      socket.end();
      const error = lines.find((l) => l.startsWith('-'));
      if (error) reject(new Error(`Redis: ${error.slice(1)}`));
      else resolve(lines.slice(0, commands.length));
    });
    socket.write(commands.map(encodeCommand).join(''));
  });
}

/** FLUSHDB on the URL's database index; refuses index 0. */
export async function flushBenchDb(url: string): Promise<void> {
  const db = redisDbIndex(url);
  if (db === 0) throw new Error('refusing to flush Redis database 0; give the bench its own index');
  await redisSimple(url, [['SELECT', String(db)], ['FLUSHDB']]);
}

export interface RedisCount {
  /** Commands clients sent to the URL's database index (script-internal calls not counted), by command name. */
  stop(): Promise<{ total: number; byCommand: Map<string, number> }>;
}

/**
 * Counts the commands sent to the URL's database index while it runs, with MONITOR (which costs
 * Redis CPU: use it in a window of its own, not one whose CPU or latency is measured).
 */
export function countRedisCommands(url: string): Promise<RedisCount> {
  const u = new URL(url);
  const tag = `[${redisDbIndex(url)} `;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
    const byCommand = new Map<string, number>();
    let total = 0;
    let rest = '';
    let started = false;
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\r\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!started) {
          if (line === '+OK') (started = true), resolve({ stop });
          continue;
        }
        const at = line.indexOf(tag);
        if (at < 0 || line.startsWith('lua]', at + tag.length)) continue;
        const name = /\] "([^"]+)"/.exec(line.slice(at))?.[1]?.toLowerCase() ?? '?';
        total += 1;
        byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
      }
    });
    const stop = () => new Promise<{ total: number; byCommand: Map<string, number> }>((done) => {
      socket.end(() => done({ total, byCommand }));
      socket.destroy();
      done({ total, byCommand });
    });
    socket.write(encodeCommand(['MONITOR']));
  });
}
