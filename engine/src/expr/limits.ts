// Defaults for every bound the expression language enforces; evaluation options may lower or
// raise the runtime ones, the parse-time ones are fixed so that a compiled template is safe
// to evaluate anywhere.
export const LIMITS = Object.freeze({
  /** Characters allowed between one `{{` and its `}}`. */
  maxExpressionLength: 10_000,
  /** Characters allowed in a whole template string (long prompts with a few placeholders). */
  maxTemplateLength: 1_048_576,
  /** Parser recursion and syntax-tree height, so evaluation can never exhaust the stack. */
  maxDepth: 200,
  /** Nesting allowed when copying data or walking a config value. */
  maxValueDepth: 200,
  /** Default cap on every string an evaluation produces, in UTF-8 bytes. */
  maxStringBytes: 1_048_576,
  /** Default evaluation budget: syntax-tree visits plus work done inside built-ins. */
  maxSteps: 100_000,
  /**
   * Default budget of data built or handed out, in bytes (about their size as JSON): strings
   * made, and results counted at their full size however much of them is shared. The engine
   * shares one budget across a node's whole config.
   */
  maxBuildBytes: 8 * 1_048_576,
});

/** Roots a graph may use; graph validation flags any other identifier. */
export const EXPRESSION_ROOTS: readonly string[] = Object.freeze([
  '$trigger',
  '$node',
  '$run',
  '$item',
  '$index',
  '$vars',
  '$now',
]);
