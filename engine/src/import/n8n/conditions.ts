// n8n conditions (IF, Filter, Switch rules) → one boolean expression of ours. Version 2+
// nodes store { conditions: [{ leftValue, rightValue, operator: { type, operation } }],
// combinator }; IF v1 stores { string|number|boolean: [{ value1, operation, value2 }] } and
// combineOperation. Regex and date operators have no counterpart and make the node a placeholder.
import { operandExpression, type ExpressionCounts, type ExpressionScope } from './expressions.ts';
import { isRecord } from './records.ts';

type As = 'string' | 'number' | 'boolean' | 'any';

function binary(op: string, l: string, r: () => string | undefined): string | undefined {
  const right = (): string | undefined => r();
  switch (op) {
    case 'equals':
    case 'equal':
      return wrap(right(), (rv) => `${l} == ${rv}`);
    case 'notEquals':
    case 'notEqual':
      return wrap(right(), (rv) => `${l} != ${rv}`);
    case 'gt':
    case 'larger':
    case 'after':
      return wrap(right(), (rv) => `${l} > ${rv}`);
    case 'gte':
    case 'largerEqual':
    case 'afterOrEquals':
      return wrap(right(), (rv) => `${l} >= ${rv}`);
    case 'lt':
    case 'smaller':
    case 'before':
      return wrap(right(), (rv) => `${l} < ${rv}`);
    case 'lte':
    case 'smallerEqual':
    case 'beforeOrEquals':
      return wrap(right(), (rv) => `${l} <= ${rv}`);
    case 'contains':
      return wrap(right(), (rv) => `contains(${l}, ${rv})`);
    case 'notContains':
      return wrap(right(), (rv) => `!contains(${l}, ${rv})`);
    case 'startsWith':
      return wrap(right(), (rv) => `startsWith(${l}, ${rv})`);
    case 'notStartsWith':
      return wrap(right(), (rv) => `!startsWith(${l}, ${rv})`);
    case 'endsWith':
      return wrap(right(), (rv) => `endsWith(${l}, ${rv})`);
    case 'notEndsWith':
      return wrap(right(), (rv) => `!endsWith(${l}, ${rv})`);
    case 'exists':
      return `${l} != null`;
    case 'notExists':
      return `${l} == null`;
    case 'empty':
    case 'isEmpty':
      return `isEmpty(${l})`;
    case 'notEmpty':
    case 'isNotEmpty':
      return `!isEmpty(${l})`;
    case 'true':
      return `${l} == true`;
    case 'false':
      return `${l} == false`;
    case 'lengthEquals':
      return wrap(right(), (rv) => `length(${l}) == ${rv}`);
    case 'lengthNotEquals':
      return wrap(right(), (rv) => `length(${l}) != ${rv}`);
    case 'lengthGt':
      return wrap(right(), (rv) => `length(${l}) > ${rv}`);
    case 'lengthGte':
      return wrap(right(), (rv) => `length(${l}) >= ${rv}`);
    case 'lengthLt':
      return wrap(right(), (rv) => `length(${l}) < ${rv}`);
    case 'lengthLte':
      return wrap(right(), (rv) => `length(${l}) <= ${rv}`);
    default:
      return undefined;
  }
}

function wrap(right: string | undefined, make: (r: string) => string): string | undefined {
  return right === undefined ? undefined : make(right);
}

function asOf(type: unknown): As {
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'any';
}

export type ConditionResult = { expression: string } | { failure: string };

function combine(parts: string[], or: boolean): string {
  if (parts.length === 0) return 'true';
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(or ? ' || ' : ' && ');
}

/** A v2+ conditions block: { conditions: [...], combinator: 'and' | 'or', options }. */
export function conditionBlock(block: unknown, scope: ExpressionScope, counts: ExpressionCounts, orOverride?: boolean): ConditionResult {
  if (!isRecord(block) || !Array.isArray(block.conditions)) return { failure: 'the conditions are not in a form we know' };
  const parts: string[] = [];
  for (const [i, c] of block.conditions.entries()) {
    if (!isRecord(c)) return { failure: `condition ${i + 1} is not an object` };
    const operator = isRecord(c.operator) ? c.operator : {};
    const op = typeof operator.operation === 'string' ? operator.operation : 'equals';
    const as = asOf(operator.type);
    if (operator.type === 'dateTime') return { failure: `condition ${i + 1} compares dates, which is not carried over` };
    const left = operandExpression(c.leftValue, scope, counts, as);
    if (left === undefined) return { failure: `condition ${i + 1}: the left value is an expression we cannot translate` };
    const expr = binary(op, left, () => operandExpression(c.rightValue, scope, counts, as));
    if (expr === undefined) return { failure: `condition ${i + 1}: the operator '${String(op).slice(0, 50)}' or its right value cannot be carried over` };
    parts.push(expr);
  }
  const or = orOverride ?? block.combinator === 'or';
  return { expression: combine(parts, or) };
}

/** IF v1: conditions.{string,number,boolean,dateTime}[{ value1, operation, value2 }]. */
export function legacyConditions(parameters: Record<string, unknown>, scope: ExpressionScope, counts: ExpressionCounts): ConditionResult {
  const groups = isRecord(parameters.conditions) ? parameters.conditions : {};
  const parts: string[] = [];
  for (const [type, list] of Object.entries(groups)) {
    if (!Array.isArray(list)) continue;
    if (type === 'dateTime' && list.length > 0) return { failure: 'date comparisons are not carried over' };
    for (const [i, c] of list.entries()) {
      if (!isRecord(c)) return { failure: `${type} condition ${i + 1} is not an object` };
      const as = asOf(type);
      const left = operandExpression(c.value1, scope, counts, as);
      if (left === undefined) return { failure: `${type} condition ${i + 1}: the first value is an expression we cannot translate` };
      const op = typeof c.operation === 'string' ? c.operation : type === 'boolean' ? 'equal' : type === 'number' ? 'smaller' : 'equal';
      const expr = binary(op, left, () => operandExpression(c.value2 ?? (type === 'boolean' ? false : type === 'number' ? 0 : ''), scope, counts, as));
      if (expr === undefined) return { failure: `${type} condition ${i + 1}: the operation '${op.slice(0, 50)}' cannot be carried over` };
      parts.push(expr);
    }
  }
  return { expression: combine(parts, parameters.combineOperation === 'any') };
}
