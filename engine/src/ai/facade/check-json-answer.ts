// Checks a parsed JSON answer against the node's jsonSchema (@cfworker/json-schema, drafts
// 4 to 2020-12; 2020-12 unless the schema says otherwise) and says what is wrong in terms a
// model can fix and a user can read: one issue per failing place, as a JSON Pointer path.
import { Validator, type OutputUnit, type Schema, type SchemaDraft } from '@cfworker/json-schema';
import { NonRetriableNodeError } from '@keyflow/nodes/contract';

export interface SchemaIssue {
  /** JSON Pointer into the answer: '' is the whole answer, '/items/0/name' a nested field. */
  path: string;
  message: string;
}

/** Enough for a model to fix and a run record to show. */
export const MAX_SCHEMA_ISSUES = 20;

// Keywords whose error only says "something below failed"; the one below is reported instead.
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'additionalItems', 'patternProperties', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'allOf', '$ref', '$recursiveRef', 'dependentSchemas', 'if', 'then', 'else', 'contains']);

const DRAFTS: Record<string, SchemaDraft> = {
  'http://json-schema.org/draft-04/schema#': '4',
  'http://json-schema.org/draft-07/schema#': '7',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

function pointer(instanceLocation: string): string {
  return instanceLocation.replace(/^#/, '');
}

function toIssue(unit: OutputUnit): SchemaIssue {
  const path = pointer(unit.instanceLocation);
  const required = /^Instance does not have required property "(.*)"\.$/.exec(unit.error);
  if (required) return { path: `${path}/${required[1]!.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is required' };
  // A property refused by additionalProperties: false.
  if (unit.keyword === 'false') return { path, message: 'is not allowed' };
  return { path, message: unit.error };
}

/** A validator for the schema, or a NonRetriableNodeError when the schema itself cannot be used. */
export function schemaValidator(schema: Record<string, unknown>): Validator {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : undefined;
  const draft = declared ? DRAFTS[declared.replace(/^http:\/\/json-schema\.org\/draft\/(2019-09|2020-12)/, 'https://json-schema.org/draft/$1')] : '2020-12';
  if (!draft) throw new NonRetriableNodeError(`jsonSchema: unsupported $schema "${declared}" (use draft 4, 7, 2019-09 or 2020-12)`);
  try {
    // shortCircuit off: every failing place, so one repair request can fix them all.
    return new Validator(schema as Schema, draft, false);
  } catch (err) {
    throw new NonRetriableNodeError(`jsonSchema cannot be used: ${err instanceof Error ? err.message : 'invalid schema'}`, { cause: err });
  }
}

/** The ways `value` misses the schema (empty when it matches), at most MAX_SCHEMA_ISSUES. */
export function schemaIssues(validator: Validator, value: unknown): SchemaIssue[] {
  let result;
  try {
    result = validator.validate(value);
  } catch (err) {
    // An unresolvable $ref shows only when validation reaches it.
    throw new NonRetriableNodeError(`jsonSchema cannot be used: ${err instanceof Error ? err.message : 'invalid schema'}`, { cause: err });
  }
  if (result.valid) return [];
  const leaves = result.errors.filter((u) => !WRAPPERS.has(u.keyword));
  // Every failure has a leaf below its wrappers; keep the wrappers only if, somehow, none came.
  const units = leaves.length > 0 ? leaves : result.errors;
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const unit of units) {
    const issue = toIssue(unit);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
    if (issues.length === MAX_SCHEMA_ISSUES) break;
  }
  return issues;
}

/** "/budget: Instance type … ; /name: is required", for messages and the repair prompt. */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path === '' ? '(the whole answer)' : i.path}: ${i.message}`).join('; ');
}
