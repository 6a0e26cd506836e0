export type ExpressionPath = (string | number)[];

/**
 * Any failure of an expression: syntax, evaluation, limits. `reason` names the problem
 * without location; `message` adds the position and the path inside a config value.
 * Messages only ever name identifiers, property names from the source and types, never
 * values from the scope, because those may be secrets.
 */
export class ExpressionError extends Error {
  readonly reason: string;
  readonly path: ExpressionPath;
  readonly position: number | undefined;
  constructor(reason: string, options?: { path?: ExpressionPath; position?: number }) {
    const path = options?.path ?? [];
    const position = options?.position;
    super(describeError(reason, path, position));
    this.name = new.target.name;
    this.reason = reason;
    this.path = path;
    this.position = position;
  }
}

/** A template that does not parse; `position` is the offset in the template string. */
export class ExpressionSyntaxError extends ExpressionError {}

/** The same error located at `path` inside a config value (keeps the class). */
export function withPath(error: ExpressionError, path: ExpressionPath): ExpressionError {
  const options = { path, ...(error.position === undefined ? {} : { position: error.position }) };
  return error instanceof ExpressionSyntaxError
    ? new ExpressionSyntaxError(error.reason, options)
    : new ExpressionError(error.reason, options);
}

/** `fields[0].value`, `headers["x-id"]`. */
export function formatPath(path: ExpressionPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

function describeError(reason: string, path: ExpressionPath, position: number | undefined): string {
  let message = reason;
  if (position !== undefined) message += ` (position ${position})`;
  if (path.length > 0) message += ` at ${formatPath(path)}`;
  return message;
}
