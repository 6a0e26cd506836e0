// The node of a polling trigger (see PollTrigger in types.ts): its run() only hands on what the
// engine's poll stored as the run's trigger data, checked against the trigger's output schema.
import type { z } from 'zod';
import { defineNode, NonRetriableNodeError, type NodeExample } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';

export interface PolledTriggerInput<C extends z.ZodType, O extends z.ZodType> {
  type: string;
  title: string;
  description: string;
  keywords: readonly string[];
  examples: readonly NodeExample[];
  /** The integration's credential provider (lent to the engine's poll). */
  provider: string;
  config: C;
  output: O;
  /** What one item is, for the error when a run did not come from a poll ("a Drive file"). */
  item: string;
  /** A made-up item as the poll would hand it (the editor's first test payload). */
  sampleEvent: z.input<O>;
}

/** A trigger node started by the engine's polling; the payload is the poll item's. */
export function polledTriggerNode<C extends z.ZodType, O extends z.ZodType>(input: PolledTriggerInput<C, O>) {
  const { provider, item, output, ...rest } = input;
  return defineNode({
    ...rest,
    version: 1,
    category: 'trigger',
    kind: 'trigger',
    credential: { provider, optional: true },
    output,
    async run(ctx) {
      const parsed = output.safeParse(isRecord(ctx.trigger) ? ctx.trigger : undefined);
      if (!parsed.success) throw new NonRetriableNodeError(`${input.type} was started without ${item} (its runs start from the engine’s polling)`);
      return { output: parsed.data as z.output<O> };
    },
  });
}
