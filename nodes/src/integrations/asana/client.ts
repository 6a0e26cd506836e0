// The Asana client for one call: the official `asana` SDK (3.2.0) for paths, parameters and
// bodies, with its transport replaced. The SDK sends through superagent and takes no fetch, only
// a basePath and a superagent agent, so its `ApiClient.callApi` is overridden here: the URL the
// SDK built (basePath = the operator's KEYFLOW_ASANA_BASE_URL or the official root) must pass
// the framework's host check, then goes out through the ServiceCall's fetch with the run's
// signal, no redirects and no retries (the engine retries). Failures become ServiceProblemErrors.
import type { CustomFieldSettingsApi, ProjectsApi, SectionsApi, StoriesApi, TasksApi, UsersApi, WebhooksApi, WorkspacesApi } from 'asana';
import { isAllowedApiUrl, ServiceProblemError, type ServiceCall } from '../framework/index.ts';
import { classifyAsanaFailure } from './errors.ts';
import { asanaSpec } from './spec.ts';

/** A short description of a network failure that cannot quote headers (and so the token). */
function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return 'the request was aborted or timed out';
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `network error ${code}` : 'network error';
}

/** 'task 1204…' from the SDK's path template and its last path parameter, for a 404's message. */
function whatOf(pathParams: Record<string, unknown>): string | undefined {
  const last = Object.entries(pathParams).at(-1);
  return last ? `${last[0].replace(/_gid$/, '')} ${String(last[1])}` : undefined;
}

/** Asana takes lists (opt_fields) comma-separated. */
function queryOf(params: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out.set(k, Array.isArray(v) ? v.join(',') : v instanceof Date ? v.toJSON() : String(v));
  }
  return out;
}

type AsanaSdk = typeof import('asana');

/** The guarded transport, a subclass of the SDK's ApiClient: defined once the SDK is loaded. */
function guardedClientClass(sdk: AsanaSdk) {
  return class GuardedApiClient extends sdk.ApiClient {
    readonly #call: ServiceCall;

    constructor(call: ServiceCall) {
      super();
      this.#call = call;
      this.basePath = call.baseUrl.replace(/\/+$/, '');
      // List methods answer the raw { data, next_page } envelope: pagination is ours (offset).
      this.RETURN_COLLECTION = false;
    }

    override async callApi(path: string, httpMethod: string, pathParams: Record<string, string>, queryParams: Record<string, unknown>, _headerParams: Record<string, unknown>, _formParams: Record<string, unknown>, bodyParam: unknown): Promise<{ response: { status: number }; data: unknown }> {
      const url = new URL(this.buildUrl(path, pathParams));
      // Some SDK methods (addTaskForSection) pass their whole `opts`, body included, as the query too.
      const query = Object.fromEntries(Object.entries(queryParams).filter(([, v]) => v !== bodyParam || bodyParam === undefined));
      for (const [k, v] of queryOf(query)) url.searchParams.set(k, v);
      if (!isAllowedApiUrl(asanaSpec, this.#call.baseUrl, url.href)) throw new ServiceProblemError({ kind: 'validation', message: 'refused: the Asana token is only sent to the Asana API host' });
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.#call.credential.reveal()}` };
      let body: string | undefined;
      if (bodyParam !== undefined && bodyParam !== null) {
        headers['content-type'] = 'application/json; charset=UTF-8';
        body = JSON.stringify(bodyParam);
      }
      let res: Response;
      try {
        res = await this.#call.fetch(url, { method: httpMethod, headers, body, signal: this.#call.signal, redirect: 'error' });
      } catch (err) {
        throw new ServiceProblemError({ kind: 'network', message: networkReason(err) });
      }
      const text = await res.text().catch(() => '');
      if (res.status >= 400) throw new ServiceProblemError(classifyAsanaFailure(res.status, text, res.headers, { what: whatOf(pathParams), now: new Date() }));
      if (text === '' || res.status === 204) return { response: { status: res.status }, data: null };
      try {
        return { response: { status: res.status }, data: JSON.parse(text) as unknown };
      } catch {
        throw new ServiceProblemError({ kind: 'server', status: res.status, message: 'Asana answered with something that is not JSON' });
      }
    }
  }
}

// The SDK (~6.5 MB of heap with its superagent) loads on the first Asana call, not at start-up.
let loaded: Promise<{ sdk: AsanaSdk; Guarded: ReturnType<typeof guardedClientClass> }> | undefined;
function loadAsana() {
  loaded ??= import('asana').then((sdk) => ({ sdk, Guarded: guardedClientClass(sdk) }));
  return loaded;
}

/** The SDK's API groups Keyflow uses, over one guarded transport. */
export interface AsanaClient {
  tasks: TasksApi;
  stories: StoriesApi;
  sections: SectionsApi;
  projects: ProjectsApi;
  workspaces: WorkspacesApi;
  users: UsersApi;
  customFieldSettings: CustomFieldSettingsApi;
  webhooks: WebhooksApi;
}

export async function asanaClient(call: ServiceCall): Promise<AsanaClient> {
  const { sdk, Guarded } = await loadAsana();
  const { TasksApi, StoriesApi, SectionsApi, ProjectsApi, WorkspacesApi, UsersApi, CustomFieldSettingsApi, WebhooksApi } = sdk;
  const api = new Guarded(call);
  return {
    tasks: new TasksApi(api),
    stories: new StoriesApi(api),
    sections: new SectionsApi(api),
    projects: new ProjectsApi(api),
    workspaces: new WorkspacesApi(api),
    users: new UsersApi(api),
    customFieldSettings: new CustomFieldSettingsApi(api),
    webhooks: new WebhooksApi(api),
  };
}

/** Asana ids (gids) are digit strings; anything else is refused before it reaches a path. */
export function asanaGid(value: string, field: string): string {
  if (!/^\d{1,40}$/.test(value)) throw new ServiceProblemError({ kind: 'validation', message: `${field} must be an Asana id (digits, e.g. 1204567890123456)` });
  return value;
}
