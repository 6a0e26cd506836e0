import { describe, expect, it } from 'vitest';
import { NonRetriableNodeError } from '@keyflow/nodes/contract';
import { describeIssues, MAX_SCHEMA_ISSUES, schemaIssues, schemaValidator } from './check-json-answer.ts';

describe('schemaIssues', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, 'a/b': { type: 'object', required: ['x~y'] } },
  };

  it('is empty for a matching answer', () => {
    expect(schemaIssues(schemaValidator(schema), { name: 'Ada', tags: ['x'] })).toEqual([]);
  });

  it('reports each failing place once, at its path, without the wrappers above it', () => {
    const issues = schemaIssues(schemaValidator(schema), { tags: ['a', 3], extra: 1, 'a/b': {} });
    expect(issues).toEqual([
      { path: '/name', message: 'is required' },
      { path: '/tags/1', message: 'Instance type "number" is invalid. Expected "string".' },
      { path: '/a~1b/x~0y', message: 'is required' },
      { path: '/extra', message: 'is not allowed' },
    ]);
    expect(describeIssues(issues)).toContain('/tags/1: Instance type "number"');
  });

  it('names the whole answer when it is the wrong type', () => {
    const issues = schemaIssues(schemaValidator(schema), 'hello');
    expect(issues).toEqual([{ path: '', message: 'Instance type "string" is invalid. Expected "object".' }]);
    expect(describeIssues(issues)).toBe('(the whole answer): Instance type "string" is invalid. Expected "object".');
  });

  it(`keeps at most ${MAX_SCHEMA_ISSUES} issues`, () => {
    const many = schemaValidator({ type: 'array', items: { type: 'string' } });
    expect(schemaIssues(many, Array.from({ length: 50 }, (_, i) => i))).toHaveLength(MAX_SCHEMA_ISSUES);
  });

  it('honours a declared draft and refuses an unknown one', () => {
    expect(schemaIssues(schemaValidator({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'integer' }), 1.5)).toHaveLength(1);
    expect(() => schemaValidator({ $schema: 'https://example.com/x' })).toThrow(NonRetriableNodeError);
  });

  it('turns an unresolvable $ref into a node error', () => {
    expect(() => schemaIssues(schemaValidator({ $ref: '#/$defs/missing' }), 1)).toThrow(/jsonSchema cannot be used: Unresolved \$ref/);
  });
});
