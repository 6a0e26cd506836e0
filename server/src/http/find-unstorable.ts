// Postgres jsonb refuses the escape \u0000 and unpaired UTF-16 surrogates (JSON.stringify writes
// them as \ud800…): a value holding either would fail its insert with a 500. Found before writing,
// named in a 400 instead. PGlite is Postgres too, so the same holds in embedded mode.

export interface Unstorable {
  path: (string | number)[];
  message: string;
}

// Without the u flag the pattern sees UTF-16 code units: a high half not followed by a low half, or a low half alone.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (e.g. "\\ud800"), which is not valid Unicode';
  return undefined;
}

/** The first key or string inside `value` that cannot be stored, with its path; iterative (the value may be deep). */
export function findUnstorable(value: unknown, root: (string | number)[] = []): Unstorable | undefined {
  const stack: [unknown, (string | number)[]][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const why = problem(v);
      if (why) return { path, message: why };
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, [...path, i]]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const why = problem(k);
        if (why) return { path: [...path, k], message: `a key ${why}` };
        stack.push([child, [...path, k]]);
      }
    }
  }
  return undefined;
}
