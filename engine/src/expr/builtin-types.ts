/** What a built-in may use from the evaluation: the clock, the string cap, the step and byte budgets. */
export type BuiltinEnv = {
  readonly now: () => Date;
  readonly maxStringBytes: number;
  /** Spends `units` of the step budget; throws when it runs out. */
  readonly charge: (units: number) => void;
  /** Spends `bytes` of the built-data budget (what the evaluation allocates); throws when it runs out. */
  readonly chargeBytes: (bytes: number) => void;
};

/**
 * Bytes of data evaluations may build (strings they make, values they hand out). One budget
 * may be shared by several evaluations, e.g. every template of one node's config.
 */
export type BuildBudget = { readonly max: number; used: number };

/** A pure function over data. It must never mutate its arguments. */
export type Builtin = {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly unknown[], env: BuiltinEnv) => unknown;
};
