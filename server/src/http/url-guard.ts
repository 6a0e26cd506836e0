// Refuses URLs no handler can read, before any handler runs: a malformed percent-encoding
// (`/%E0%A4%A`) makes decodeURIComponent throw (a 500 in whichever handler decodes), and a
// query value holding NUL reaches a SQL parameter PostgreSQL refuses (another 500).
import type { MiddlewareHandler } from 'hono';
import { BadRequest, Invalid } from '@keyflow/engine';
import { unstorableTextProblem } from './storable-text.ts';
import type { AppEnv } from './types.ts';

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export const urlGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Without a percent sign nothing decodes: the HTTP parser admits no NUL and no character above
  // U+00FF in a request line, so there is nothing to refuse (a webhook's URL, most API calls).
  if (!c.req.url.includes('%')) return next();
  const url = new URL(c.req.url);
  const path = decode(url.pathname);
  if (path === undefined) throw new BadRequest('malformed percent-encoding in the URL path');
  if (unstorableTextProblem(path)) throw new BadRequest('the URL path holds a NUL character or a lone surrogate');
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (name === undefined || value === undefined) throw new BadRequest('malformed percent-encoding in the query string');
    const problem = unstorableTextProblem(name) ?? unstorableTextProblem(value);
    if (problem) throw new Invalid('invalid query', [{ path: ['query', name], message: problem }]);
  }
  return next();
};
