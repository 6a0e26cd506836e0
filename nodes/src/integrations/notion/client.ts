// The Notion client for one call: the official SDK, pointed at the base URL the operator allows
// (KEYFLOW_NOTION_BASE_URL, the API origin), with its own retries off (the engine retries,
// honouring Retry-After), silent logging, and a fetch that adds the run's signal and refuses
// any host but the API's.
import { Client, LogLevel } from '@notionhq/client';
import { NonRetriableNodeError } from '../../contract/index.ts';
import { isAllowedApiUrl, type ServiceCall } from '../framework/index.ts';
import { notionSpec } from './spec.ts';

type NotionFetch = NonNullable<NonNullable<ConstructorParameters<typeof Client>[0]>['fetch']>;

/** The API version Keyflow speaks (data sources: databases hold one or more of them). */
export const NOTION_VERSION = '2025-09-03';

export function guardedNotionFetch(call: ServiceCall): NotionFetch {
  return async (url, init) => {
    if (!isAllowedApiUrl(notionSpec, call.baseUrl, url)) throw new NonRetriableNodeError('refused: the Notion secret is only sent to the Notion API host');
    const { agent: _agent, ...rest } = init ?? {};
    return call.fetch(url, { ...rest, signal: call.signal } as RequestInit);
  };
}

export function notionClient(call: ServiceCall): Client {
  return new Client({
    auth: call.credential.reveal(),
    baseUrl: call.baseUrl.replace(/\/+$/, ''),
    notionVersion: NOTION_VERSION,
    retry: false,
    timeoutMs: 30_000,
    // The SDK's warnings quote Notion's messages; our error mapping reports them instead.
    logLevel: LogLevel.ERROR,
    logger: () => {},
    fetch: guardedNotionFetch(call),
  });
}
