// Kysely migrations and the Database row types. Imports nothing of ours.
import type { Migration } from 'kysely/migration';
import * as m0001 from './m0001-init.ts';
import * as m0002 from './m0002-ai-budget.ts';
import * as m0003 from './m0003-engine.ts';
import * as m0004 from './m0004-run-lease.ts';
import * as m0005 from './m0005-webhook-deliveries.ts';
import * as m0006 from './m0006-run-limits.ts';
import * as m0007 from './m0007-connections.ts';
import * as m0008 from './m0008-routing-policy.ts';
import * as m0009 from './m0009-poll-triggers.ts';
import * as m0010 from './m0010-alerts.ts';
import * as m0011 from './m0011-webhook-handshake.ts';
import * as m0012 from './m0012-scale-indexes.ts';
import * as m0013 from './m0013-waiting-runs-index.ts';
import * as m0014 from './m0014-usage-quality-index.ts';

export type * from './database.ts';

/** Every migration, in order. Names sort lexically; never rename or edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_ai_budget': m0002,
  '0003_engine': m0003,
  '0004_run_lease': m0004,
  '0005_webhook_deliveries': m0005,
  '0006_run_limits': m0006,
  '0007_connections': m0007,
  '0008_routing_policy': m0008,
  '0009_poll_triggers': m0009,
  '0010_alerts': m0010,
  '0011_webhook_handshake': m0011,
  '0012_scale_indexes': m0012,
  '0013_waiting_runs_index': m0013,
  '0014_usage_quality_index': m0014,
};
