// Row types of every table, for Kysely. Kept beside the migrations that create them.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
/** Micro-dollars: int8 in Postgres, parsed to a JS number (exact below 2^53). */
type Micros = ColumnType<number, number | undefined, number>;

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Timestamp;
  password_changed_at: Timestamp;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie value
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  owner_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface WorkflowsTable {
  id: string;
  owner_id: string;
  name: string;
  active: Generated<boolean>;
  current_version: number;
  active_version: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  owner_id: string;
  graph: Json;
  note: string | null;
  created_at: Timestamp;
}

export interface CredentialsTable {
  id: string;
  owner_id: string;
  provider: string;
  label: string;
  ciphertext: string;
  key_id: string;
  hint: string;
  status: Generated<string>;
  meta: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_used_at: Timestamp | null;
  /** 'token' (pasted) or 'oauth2' (ciphertext holds the token set as JSON). */
  auth_kind: Generated<string>;
  token_expires_at: Timestamp | null;
  /** healthy | invalid | rate_limited | error | unknown */
  health: Generated<string>;
  health_checked_at: Timestamp | null;
  health_latency_ms: number | null;
  health_error: string | null;
  health_next_at: Timestamp | null;
}

export interface OAuthStatesTable {
  id: string;
  owner_id: string;
  session_id: string;
  service: string;
  verifier_ciphertext: string | null;
  label: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface WebhooksTable {
  id: string;
  owner_id: string;
  workflow_id: string;
  node_id: string;
  path: string;
  test_path: string;
  signing_ciphertext: string | null;
  signature: Json<Record<string, unknown>> | null;
  response_mode: Generated<string>;
  created_at: Timestamp;
  /** The service's id of the webhook registered on activation (TriggerActivation), if any. */
  external_id: string | null;
  /** Until when a service's handshake may set the signing secret (Asana's X-Hook-Secret), during activation. */
  handshake_until: Timestamp | null;
}

export interface RunsTable {
  id: string;
  owner_id: string;
  workflow_id: string;
  workflow_version: number;
  trigger: string;
  trigger_payload: Json;
  status: string;
  error: Json | null;
  cost_micros: Micros;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  resume_at: Timestamp | null;
  cancel_requested: Generated<boolean>;
  response: Json | null;
  output: Json | null;
  rerun_of: string | null;
  event_seq: Generated<number>;
  lease_until: Timestamp | null;
  /** Claims whose execution has not ended cleanly (see m0006): the crashes in a row. */
  unfinished_claims: Generated<number>;
}

export interface RunStepsTable {
  id: string;
  run_id: string;
  owner_id: string;
  node_id: string;
  attempt: number;
  status: string;
  input: Json | null;
  output: Json | null;
  error: Json | null;
  cost_micros: Micros;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  scope: Generated<string>;
  seq: Generated<number>;
  resume_at: Timestamp | null;
  branch: string | null;
}

export interface UsageEventsTable {
  id: string;
  owner_id: string;
  run_id: string | null;
  step_id: string | null;
  workflow_id: string | null;
  credential_id: string | null;
  provider: string;
  model: string;
  tokens_in: number;
  tokens_out: number;
  tokens_cache_read: number;
  tokens_cache_write: number;
  tokens_reasoning: number;
  cost_micros: Micros;
  baseline_cost_micros: Micros;
  /** The quality rule's reference for this call and the same usage priced on it (null: no rule applied). */
  reference_model: ColumnType<string | null, string | null | undefined, string | null>;
  reference_cost_micros: ColumnType<number | null, number | null | undefined, number | null>;
  latency_ms: number;
  outcome: string;
  created_at: Timestamp;
}

export interface OwnerSettingsTable {
  owner_id: string;
  provider_order: Json<string[]>;
  default_tier: string;
  monthly_budget_micros: Micros | null;
  baseline_model: string | null;
  /** RoutingPolicy (engine settings.repo.ts); `{}` = defaults. */
  routing_policy: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: Timestamp;
}

export interface AlertSettingsTable {
  owner_id: string;
  /** AlertConfig (engine alerts.repo.ts); `{}` = nothing on. */
  config: ColumnType<Record<string, unknown>, string | undefined, string>;
  webhook_secret_ciphertext: string | null;
  updated_at: Timestamp;
}

export interface AlertEventsTable {
  id: string;
  owner_id: string;
  dedupe_key: string;
  kind: string;
  subject: string;
  link: string | null;
  window_until: Timestamp;
  suppressed: ColumnType<number, number | undefined, number>;
  deliveries: ColumnType<unknown[], string | undefined, string>;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  owner_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  meta: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  webhook_id: string;
  delivery_id: string;
  created_at: Timestamp;
  /** After this the key may be taken again (0005). */
  expires_at: Date;
}

export interface SchedulesTable {
  workflow_id: string;
  node_id: string;
  owner_id: string;
  cron: string;
  timezone: string;
  last_fired_at: Timestamp | null;
}

/** A polling trigger's state (m0009): where the next poll starts and the ids already started. */
export interface PollTriggersTable {
  workflow_id: string;
  node_id: string;
  owner_id: string;
  node_type: string;
  interval_ms: number;
  cursor: string;
  seen_ids: Json<string[]>;
  seq: ColumnType<string, string | number | undefined, string | number>;
  last_polled_at: Timestamp | null;
  last_note: string | null;
  last_error: string | null;
  created_at: Generated<Timestamp>;
}

export interface AiBudgetMonthsTable {
  owner_id: string;
  /** 'YYYY-MM', UTC. */
  month: string;
  spent_micros: Micros;
  reserved_micros: Micros;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  credentials: CredentialsTable;
  webhooks: WebhooksTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  usage_events: UsageEventsTable;
  owner_settings: OwnerSettingsTable;
  audit_log: AuditLogTable;
  webhook_deliveries: WebhookDeliveriesTable;
  schedules: SchedulesTable;
  poll_triggers: PollTriggersTable;
  ai_budget_months: AiBudgetMonthsTable;
  oauth_states: OAuthStatesTable;
  alert_settings: AlertSettingsTable;
  alert_events: AlertEventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type WorkflowRow = Selectable<WorkflowsTable>;
export type NewWorkflow = Insertable<WorkflowsTable>;
export type WorkflowUpdate = Updateable<WorkflowsTable>;
export type RunRow = Selectable<RunsTable>;
export type RunStepRow = Selectable<RunStepsTable>;
export type CredentialRow = Selectable<CredentialsTable>;
