// Writes one usage_events row per provider attempt (failed ones too, at zero cost), which
// the spend reports and "saved" figures are summed from.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/database.ts';
import type { UsageSink } from '../router/router-types.ts';

export function createDbUsageSink(db: Db): UsageSink {
  return {
    async record(e) {
      await db
        .insertInto('usage_events')
        .values({
          id: randomUUID(),
          owner_id: e.ownerId,
          run_id: e.runId,
          step_id: e.stepId,
          workflow_id: e.workflowId,
          credential_id: e.credentialId,
          provider: e.provider,
          model: e.model,
          tokens_in: e.usage.inputTokens,
          tokens_out: e.usage.outputTokens,
          tokens_cache_read: e.usage.cacheReadTokens,
          tokens_cache_write: e.usage.cacheWriteTokens,
          tokens_reasoning: e.usage.reasoningTokens,
          cost_micros: e.costMicros,
          // Without a baseline nothing is claimed as saved: the call is its own baseline.
          baseline_cost_micros: e.baselineCostMicros ?? e.costMicros,
          reference_model: e.referenceModel ?? null,
          reference_cost_micros: e.referenceCostMicros ?? null,
          latency_ms: Math.round(e.latencyMs),
          outcome: e.outcome,
        })
        .execute();
    },
  };
}
