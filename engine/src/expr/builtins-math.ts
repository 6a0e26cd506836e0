import type { Builtin } from './builtin-types.ts';
import { arrayArg, integerArg, numberArg } from './coerce.ts';

// Shifting through the exponent avoids the binary-float error of `n * 10 ** d`
// (round(1.005, 2) is 1.01, not 1).
function roundTo(n: number, digits: number): number {
  if (!Number.isFinite(n)) return n;
  const [m, e = '0'] = String(n).split('e');
  const shifted = Math.round(Number(`${m}e${Number(e) + digits}`));
  const [m2, e2 = '0'] = String(shifted).split('e');
  return Number(`${m2}e${Number(e2) - digits}`);
}

function numbersOf(args: readonly unknown[], fn: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly unknown[]) : args;
  return list.map((x) => numberArg(x, fn));
}

const math1 = (name: string, f: (n: number) => number): [string, Builtin] => [
  name,
  { min: 1, max: 1, fn: ([n]) => f(numberArg(n, name)) },
];

/** Arithmetic helpers; `min`/`max` take numbers or one array, and give null when empty. */
export const MATH_BUILTINS: readonly [string, Builtin][] = [
  [
    'round',
    {
      min: 1,
      max: 2,
      fn: ([n, d]) => {
        const digits = d === undefined ? 0 : integerArg(d, 'round');
        return roundTo(numberArg(n, 'round'), Math.max(-15, Math.min(15, digits)));
      },
    },
  ],
  math1('floor', Math.floor),
  math1('ceil', Math.ceil),
  math1('abs', Math.abs),
  [
    'min',
    {
      min: 1,
      max: 100,
      fn: (args, env) => {
        const ns = numbersOf(args, 'min');
        env.charge(ns.length);
        return ns.length === 0 ? null : ns.reduce((a, b) => (b < a ? b : a));
      },
    },
  ],
  [
    'max',
    {
      min: 1,
      max: 100,
      fn: (args, env) => {
        const ns = numbersOf(args, 'max');
        env.charge(ns.length);
        return ns.length === 0 ? null : ns.reduce((a, b) => (b > a ? b : a));
      },
    },
  ],
  [
    'sum',
    {
      min: 1,
      max: 1,
      fn: ([arr], env) => {
        const items = arrayArg(arr, 'sum');
        env.charge(items.length);
        let total = 0;
        for (const x of items) total += numberArg(x, 'sum');
        return total;
      },
    },
  ],
];
