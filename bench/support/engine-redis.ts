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
