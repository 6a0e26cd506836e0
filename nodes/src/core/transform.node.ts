import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { isRecord } from './is-record.ts';
import { deletePath, getPath, pathProblem, setPath } from './object-path.ts';

const pathSchema = z
  .string()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    const problem = pathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('A field name; dots reach into objects (customer.address.city)');

/**
 * Shapes data: start from a copy of the input (keepInput) or from {}, then rename, then
 * remove, then set fields. Values are expressions already resolved by the executor.
 */
export const transformNode = defineNode({
  type: 'core.transform',
  version: 1,
  title: 'Transform',
  description: 'Sets, renames and removes fields.',
  keywords: ["format", "extract fields", "set fields", "rename", "map fields", "reshape", "structure", "structured", "parse", "compile", "aggregate", "clean up"],
  examples: [
    { text: "Keep only the name and email fields", config: {"fields": [{"name": "name", "value": "{{ $trigger.body.name }}"}, {"name": "email", "value": "{{ $trigger.body.email }}"}]} },
  ],
  category: 'core',
  kind: 'action',
  config: z
    .strictObject({
      fields: z.array(z.strictObject({ name: pathSchema, value: z.unknown() })).max(200),
      remove: z.array(pathSchema).max(200).optional(),
      rename: z.array(z.strictObject({ from: pathSchema, to: pathSchema })).max(200).optional(),
      keepInput: z.boolean().default(false).describe('Start from the input instead of an empty object'),
    })
    .superRefine((config, ctx) => {
      // Without the input there is nothing to rename or remove: say so rather than do nothing.
      if (!config.keepInput && ((config.remove?.length ?? 0) > 0 || (config.rename?.length ?? 0) > 0)) {
        ctx.addIssue({ code: 'custom', path: ['keepInput'], message: 'remove and rename work on the input: set keepInput to true' });
      }
    }),
  async run(ctx) {
    const { fields, remove = [], rename = [], keepInput } = ctx.config;
    const output: Record<string, unknown> = keepInput && isRecord(ctx.input) ? structuredClone(ctx.input) : {};
    for (const { from, to } of rename) {
      const found = getPath(output, from);
      if (!found.found) continue;
      deletePath(output, from);
      setPath(output, to, found.value);
    }
    for (const path of remove) deletePath(output, path);
    for (const { name, value } of fields) setPath(output, name, value);
    return { output };
  },
});
