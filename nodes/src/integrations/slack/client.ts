// The Slack Web API client for one call: the official SDK, pointed at the base URL the operator
// allows (slackApiUrl), with its own retries off (the engine retries, honouring Retry-After) and
// a fetch that adds the run's signal and refuses any host but the API's.
import type { FetchFunction, LogLevel, Logger, WebClient } from '@slack/web-api';
import { isAllowedApiUrl, type ServiceCall } from '../framework/index.ts';
import { slackSpec } from './spec.ts';

/** The SDK logs request bodies at debug level (tokens included, redacted by it): keep it silent. */
const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error' as unknown as LogLevel,
  setName: () => {},
};

/** Slack's Web API root with its trailing slash, as the SDK concatenates method names onto it. */
export function slackApiRoot(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

export function guardedFetch(call: ServiceCall): FetchFunction {
  return async (url, init) => {
    const target = String(url);
    if (!isAllowedApiUrl(slackSpec, call.baseUrl, target)) throw new Error('refused: the Slack token is only sent to the Slack API host');
    const signal = init?.signal ? AbortSignal.any([init.signal, call.signal]) : call.signal;
    return call.fetch(target, { ...init, signal } as RequestInit);
  };
}

// The SDK (and its axios) loads on the first Slack call, not at start-up.
let sdk: Promise<typeof import('@slack/web-api')> | undefined;

export async function slackClient(call: ServiceCall): Promise<WebClient> {
  const { WebClient } = await (sdk ??= import('@slack/web-api'));
  return new WebClient(call.credential.reveal(), {
    slackApiUrl: slackApiRoot(call.baseUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    timeout: 30_000,
    logger: silentLogger,
    fetch: guardedFetch(call),
  });
}
