/** What a built-in may use from the evaluation: the clock, the string cap, the step budget. */
export type BuiltinEnv = {
  readonly now: () => Date;
  readonly maxStringBytes: number;
  /** Spends `units` of the step budget; throws when it runs out. */
  readonly charge: (units: number) => void;
};

/** A pure function over data. It must never mutate its arguments. */
export type Builtin = {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly unknown[], env: BuiltinEnv) => unknown;
};
