// A request's headers as a plain record (lower-case names), the way the fetch Headers of the
// request would list them: duplicates joined with ", " ("; " for cookie), the last set-cookie,
// values trimmed of HTTP whitespace, names in sorted order. On a Node socket it is read from the
// parser's rawHeaders directly: materialising a fetch Headers validates every name and value again.
import type { Context } from 'hono';
import { nodeIncoming } from './read-body.ts';

const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export function requestHeaders(c: Context): Record<string, string> {
  const incoming = nodeIncoming(c);
  const out: Record<string, string> = {};
  if (!incoming) {
    c.req.raw.headers.forEach((v, k) => (out[k] = v));
    return out;
  }
  const raw = incoming.rawHeaders;
  const joined = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name.startsWith(':')) continue;
    const value = raw[i + 1]!.replace(HTTP_WHITESPACE, '');
    const prev = joined.get(name);
    joined.set(name, prev === undefined || name === 'set-cookie' ? value : `${prev}${name === 'cookie' ? '; ' : ', '}${value}`);
  }
  for (const name of [...joined.keys()].sort()) out[name] = joined.get(name)!;
  return out;
}
