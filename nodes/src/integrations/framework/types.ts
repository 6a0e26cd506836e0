// What one integration declares, once: how it authenticates, where its API lives, how the
// engine checks a credential's health, how its failures map onto the engine's error classes,
// its dynamic option lists and its nodes. The engine and the server read these declarations;
// nothing here performs I/O by itself.
import type { AnyNodeDefinition, NodeCredential, NodeLogger } from '../../contract/index.ts';

/** How a credential of this service is made: a pasted token, `"<key>:<token>"`, or OAuth 2.0. */
export type CredentialKind = 'token' | 'key_token' | 'oauth2';

/**
 * Everything a service call needs, in or out of a run: the credential (lent, revealed only at
 * the point of use), the API base URL (the service's official one unless the operator set
 * KEYFLOW_<SERVICE>_BASE_URL), a signal, and a fetch for clients without an SDK.
 */
export interface ServiceCall {
  readonly credential: NodeCredential;
  /** No trailing slash, except Slack's Web API root which the SDK expects with one. */
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly log?: NodeLogger;
  /**
   * Plain fetch towards `baseUrl` (the base URL is fixed by the operator, not by node config,
   * so the SSRF guard is not what protects the credential: the host check is). Injectable.
   */
  readonly fetch: typeof globalThis.fetch;
}

/** Who the credential belongs to, from the service's cheapest identity call. */
export interface Identity {
  /** A display name: workspace, bot or user, e.g. "Acme / keyflow-bot". */
  name: string;
  /** The service's own id for the account, when it has one. */
  accountId?: string;
  /** Granted scopes, when the service reports them. */
  scopes?: string[];
}

export interface OptionItem {
  value: string;
  label: string;
  /** Extra facts the editor may show or use (e.g. a Notion property's type). Never secrets. */
  meta?: Record<string, string | number | boolean | null>;
}

export interface OptionPage {
  items: OptionItem[];
  /** Present when more items exist: pass it back as `cursor`. */
  nextCursor?: string;
}

export interface OptionQuery {
  cursor?: string;
  /** Free-text filter, when the list supports it. */
  search?: string;
  /** Values the list depends on (e.g. `databaseId` for a database's properties). */
  params: Record<string, string>;
}

/** A dynamic list for the editor's dropdowns: GET /api/nodes/:type/options/:name. */
export interface OptionList {
  title: string;
  /** Config fields whose values must be passed in `params`. */
  dependsOn?: readonly string[];
  list(call: ServiceCall, query: OptionQuery): Promise<OptionPage>;
}

/**
 * The OAuth 2.0 facts of a service. Client id and secret come from the operator's
 * configuration (KEYFLOW_<SERVICE>_CLIENT_ID / _CLIENT_SECRET); without them the service is
 * listed as "not configured". KEYFLOW_<SERVICE>_OAUTH_URL replaces the origin of every URL
 * below (for tests and proxies).
 */
export interface OAuthSpec {
  authorizationUrl: string;
  tokenUrl: string;
  /** Where disconnect revokes the token, when the service offers it. */
  revocation?: {
    url: string;
    style: 'slack_auth_revoke' | 'rfc7009';
    /**
     * Whether a pasted (non-OAuth) secret is a token this endpoint revokes; default yes. Google:
     * not a service-account JSON key (a private key is never sent to a revocation endpoint).
     */
    pastedSecret?(secret: string): boolean;
  };
  scopes: readonly string[];
  /**
   * Incremental authorisation (Google): the scopes to ask for when connecting for these node
   * types (a workflow's nodes). Without it every connect asks for `scopes`. A `?scopes=` list on
   * the start URL must be a subset of `scopes`.
   */
  scopesFor?(nodeTypes: readonly string[]): string[];
  /**
   * True when KEYFLOW_<SERVICE>_BASE_URL also replaces the origin of the token and revocation
   * endpoints (Google: one origin for every API and OAuth call). KEYFLOW_<SERVICE>_OAUTH_URL wins.
   */
  tokenEndpointFollowsBaseUrl?: boolean;
  /** Slack separates scopes with commas; most use spaces. */
  scopeSeparator?: ' ' | ',';
  /** The token endpoint's client authentication. Notion: basic. */
  clientAuth: 'client_secret_post' | 'client_secret_basic';
  pkce: boolean;
  /** Extra query parameters on the authorization URL (e.g. Notion's owner=user). */
  authorizationParams?: Readonly<Record<string, string>>;
  /**
   * A token endpoint that answers JSON outside RFC 6749's shape (Slack: HTTP 200 with ok:false,
   * token_type "bot"): `ok` false means an error answer, `body` the standard form of it.
   */
  normaliseTokenResponse?(body: Record<string, unknown>): { ok: boolean; body: Record<string, unknown> };
  /** A label for the new credential from the token answer (e.g. the Slack workspace name). */
  labelFrom?(body: Record<string, unknown>): string | undefined;
}

/** Registers and removes a service-side webhook when a workflow with this trigger is (de)activated. */
export interface TriggerActivation {
  /**
   * `secret`, when given, is the signing secret Keyflow chose and handed to the service while
   * registering (Typeform's webhook secret, Telegram's secret_token): the server stores it
   * sealed with the owner's key as the trigger's secret, replacing any earlier one.
   */
  activate(call: ServiceCall, args: { config: unknown; callbackUrl: string }): Promise<{ externalId: string; secret?: string }>;
  deactivate(call: ServiceCall, args: { config: unknown; externalId: string }): Promise<void>;
}

/** One new thing a poll found: `id` is the service's id (a run is started once per id). */
export interface PollItem {
  id: string;
  payload: unknown;
}

export interface PollResult {
  items: PollItem[];
  /** Where the next poll starts. */
  cursor: string;
  /** Something the owner should know (e.g. an expired cursor was replaced); stored and logged. */
  note?: string;
}

/**
 * A trigger started by polling the service (Gmail's history API). The engine owns the loop: it
 * calls `start` on activation, then `poll` every `intervalMs`, and writes the new cursor, the
 * ids it has seen and one run per new item in one transaction, so no item starts two runs and
 * none is lost across restarts.
 */
export interface PollTrigger {
  intervalMs(config: unknown): number;
  /** On activation: where polling starts (what exists now is not reported). */
  start(call: ServiceCall, args: { config: unknown }): Promise<{ cursor: string }>;
  /** Items after `cursor`; `seen` holds ids already started (recent ones, bounded). */
  poll(call: ServiceCall, args: { config: unknown; cursor: string; seen: ReadonlySet<string> }): Promise<PollResult>;
}

/** A delivery to a Keyflow webhook URL of an integration trigger, after the body was read. */
export interface InboundRequest {
  method: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** JSON parsed when the content type says JSON; forms as an object; else text. */
  body: unknown;
  rawBody: Buffer;
  /** The public URL the service called (Trello signs it). */
  url: string;
  now: Date;
}

export type InboundDecision =
  /** Answer the service directly and start nothing (Slack's url_verification challenge). */
  | { kind: 'answer'; status: number; body: unknown }
  /** A verified delivery the trigger's filters drop: 200, no run. */
  | { kind: 'ignore'; reason: string }
  /** Start a run; `deliveryId` dedupes the service's retries of one event; `body` replaces what is stored (e.g. without a verification token). */
  | { kind: 'run'; deliveryId?: string; body?: unknown };

/**
 * How a service's webhook deliveries reach a trigger: the server verifies the signature with
 * the secret the owner stored for this trigger (refusing every delivery until there is one),
 * then asks `receive` what to do.
 */
export interface InboundWebhook {
  /** An engine signature preset ('slack'), or the integration's own check (pure, no I/O). */
  signature: { preset: string } | { verify(req: InboundRequest, secret: string): boolean };
  /** Requests answered at once, unsigned and without a run (Trello's HEAD check on creation). */
  probe?: { method: string; status: number };
  /**
   * A service that delivers the signing secret itself when its webhook is created (Asana's
   * X-Hook-Secret): a POST carrying `header` is answered 200 with the header echoed, and its
   * value stored (encrypted, owner-scoped) as the trigger's secret, only while the trigger's
   * activation is in progress. Outside that window it is refused.
   */
  handshake?: { header: string };
  receive(req: InboundRequest, config: unknown): InboundDecision;
}

export interface Integration {
  /** 'slack', 'notion', 'trello': also the credential provider id and node type prefix. */
  readonly service: string;
  readonly title: string;
  /**
   * Node type prefixes when they are not the service id: Google's one credential serves
   * 'sheets.*', 'drive.*', 'gmail.*' and 'calendar.*' nodes. Default: [service].
   */
  readonly nodePrefixes?: readonly string[];
  readonly credentialKinds: readonly CredentialKind[];
  /** The official API base URL, e.g. 'https://slack.com/api/'. */
  readonly defaultBaseUrl: string;
  /**
   * Hosts the credential may be sent to (the official API's). The operator's base URL is the one
   * exception; no node config can add a host.
   */
  readonly apiHosts: readonly string[];
  readonly oauth?: OAuthSpec;
  /** The cheapest call proving the credential works (health, POST /api/credentials/:id/test). Rejects with NodeErrors (see errors.ts). */
  identity(call: ServiceCall): Promise<Identity>;
  /** Dynamic option lists, by name, per node type (or '*' for all of the service's nodes). */
  readonly options: Readonly<Record<string, Readonly<Record<string, OptionList>>>>;
  readonly nodes: readonly AnyNodeDefinition[];
  /** Trigger node types started by the service's webhook deliveries. */
  readonly inbound?: Readonly<Record<string, InboundWebhook>>;
  /** Trigger node types that register a webhook at the service on activation. */
  readonly activations?: Readonly<Record<string, TriggerActivation>>;
  /** Trigger node types the engine polls (see PollTrigger). */
  readonly polls?: Readonly<Record<string, PollTrigger>>;
}

/** Declares an integration; checks at import time that its nodes carry its prefix and credential. */
export function defineIntegration(integration: Integration): Integration {
  const where = `integration ${integration.service}`;
  if (!/^[a-z][a-z0-9_]*$/.test(integration.service)) throw new TypeError(`${where}: service must be lower-case letters, digits, _`);
  if (integration.credentialKinds.length === 0) throw new TypeError(`${where}: declare at least one credential kind`);
  if (integration.credentialKinds.includes('oauth2') !== (integration.oauth !== undefined)) throw new TypeError(`${where}: oauth2 credentials and an oauth spec go together`);
  const base = new URL(integration.defaultBaseUrl);
  if (base.protocol !== 'https:') throw new TypeError(`${where}: the default base URL must be https`);
  if (!integration.apiHosts.includes(base.hostname)) throw new TypeError(`${where}: the default base URL's host must be one of apiHosts`);
  const prefixes = nodePrefixesOf(integration);
  for (const node of integration.nodes) {
    if (!prefixes.some((p) => node.type.startsWith(`${p}.`))) throw new TypeError(`${where}: node ${node.type} must be named ${prefixes.join('|')}.<action>`);
    if (node.kind !== 'trigger' && node.credential?.provider !== integration.service) throw new TypeError(`${where}: node ${node.type} must require a ${integration.service} credential`);
  }
  for (const type of [...Object.keys(integration.inbound ?? {}), ...Object.keys(integration.activations ?? {}), ...Object.keys(integration.polls ?? {})]) {
    if (integration.nodes.find((n) => n.type === type)?.kind !== 'trigger') throw new TypeError(`${where}: ${type} must be one of its trigger nodes`);
  }
  for (const type of Object.keys(integration.options)) {
    if (type !== '*' && !integration.nodes.some((n) => n.type === type)) throw new TypeError(`${where}: options for unknown node ${type}`);
  }
  return Object.freeze(integration);
}

/** The node type prefixes of an integration: its own list, or its service id. */
export function nodePrefixesOf(integration: Pick<Integration, 'service' | 'nodePrefixes'>): readonly string[] {
  return integration.nodePrefixes && integration.nodePrefixes.length > 0 ? integration.nodePrefixes : [integration.service];
}
