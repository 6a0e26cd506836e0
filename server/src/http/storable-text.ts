// Text that JSON and JavaScript accept but PostgreSQL cannot store: NUL (U+0000) is refused in
// `text` and `jsonb` alike (a 500 at insert), and a lone UTF-16 surrogate is refused in `jsonb`
// and silently turned into U+FFFD in `text`. Checked once at the edge so the answer is a 422
// naming the field, and nothing is half-written. Reusable for any parsed JSON (webhook bodies).

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored';
  return undefined;
}

export interface UnstorableText {
  /** Where, from the root of `value`; for a bad object key, the path ends with that key. */
  path: (string | number)[];
  message: string;
}

/**
 * The first string (value or object key) in `value` that cannot be stored, or undefined.
 * Iterative, so depth is bounded by the caller's depth check, not by the stack.
 * @example findUnstorableText({ a: ['ok', 'x\u0000'] }) // { path: ['a', 1], message: 'contains a NUL …' }
 */
export function findUnstorableText(value: unknown): UnstorableText | undefined {
  // Each entry: the value, and its place (the parent's entry index and the key): a path is built
  // only for the one string that fails, not copied for every value walked.
  const values: unknown[] = [value];
  const parents: number[] = [-1];
  const keys: (string | number)[] = [''];
  const stack: number[] = [0];
  const pathOf = (at: number, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let i = at; i > 0; i = parents[i]!) path.push(keys[i]!);
    return path.reverse();
  };
  const push = (child: unknown, parent: number, key: string | number) => {
    values.push(child);
    parents.push(parent);
    keys.push(key);
    stack.push(values.length - 1);
  };
  while (stack.length > 0) {
    const at = stack.pop()!;
    const v = values[at];
    if (typeof v === 'string') {
      const problem = unstorableTextProblem(v);
      if (problem) return { path: pathOf(at), message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) if (v[i] !== null && (typeof v[i] === 'object' || typeof v[i] === 'string')) push(v[i], at, i);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const problem = unstorableTextProblem(key);
        if (problem) return { path: pathOf(at, key), message: `this key ${problem}` };
        if (child !== null && (typeof child === 'object' || typeof child === 'string')) push(child, at, key);
      }
    }
  }
  return undefined;
}

/**
 * True when JSON text cannot hold an unstorable string: NUL and lone surrogates can only come
 * from `\u` escapes (JSON refuses raw control characters, and decoding UTF-8 never yields a lone
 * surrogate), so text without a backslash followed by `u` needs no walk of the parsed value.
 */
export function jsonTextIsStorable(raw: Buffer): boolean {
  return raw.indexOf('\\u') === -1;
}
