// Slack's failures, classified. The Web API answers HTTP 200 with { ok: false, error, needed? }
// for nearly everything, 429 with Retry-After when rate limited, and 5xx rarely.
import type { ErrorCode as SdkErrorCode, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { ServiceProblemError, type ServiceProblem } from '../framework/index.ts';

/** The SDK's error codes, spelt out so classifying an error does not load the SDK (the type check ties them to its enum). */
const ErrorCode = {
  RequestError: 'slack_webapi_request_error',
  HTTPError: 'slack_webapi_http_error',
  PlatformError: 'slack_webapi_platform_error',
  RateLimitedError: 'slack_webapi_rate_limited_error',
} as const satisfies { [K in 'RequestError' | 'HTTPError' | 'PlatformError' | 'RateLimitedError']: `${(typeof SdkErrorCode)[K]}` };

/** Codes meaning the token itself is refused: no retry, the credential is marked invalid. */
const AUTH_CODES = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission_for_token', 'team_access_not_granted', 'org_login_required']);
const SERVER_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
/** not_found codes and what they name. */
const NOT_FOUND: Record<string, string> = {
  channel_not_found: 'the channel',
  user_not_found: 'the user',
  users_not_found: 'no user with that email',
  message_not_found: 'the message',
  thread_not_found: 'the thread',
  file_not_found: 'the file',
  not_in_channel: 'the channel (the bot is not a member: invite it with /invite)',
};

function hasCode(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

/** A Slack SDK error (or a thrown { ok:false } result) as a ServiceProblem; `what` names the target of the call. */
export function slackProblem(err: unknown, what?: Record<string, string>): ServiceProblem | undefined {
  if (!hasCode(err)) return undefined;
  switch (err.code) {
    case ErrorCode.PlatformError: {
      const data = (err as WebAPIPlatformError).data;
      const code = data.error;
      if (AUTH_CODES.has(code)) return { kind: 'auth', message: code, code };
      if (code === 'missing_scope') {
        const raw = (data as { needed?: unknown }).needed;
        const needed = typeof raw === 'string' ? raw : undefined;
        return { kind: 'scope', message: code, code, ...(needed ? { scope: needed } : {}) };
      }
      if (code === 'ratelimited') return { kind: 'rate_limited', message: code, code, retryAfterMs: 1_000 };
      if (SERVER_CODES.has(code)) return { kind: 'server', message: code, code };
      const notFound = NOT_FOUND[code];
      if (notFound) {
        const target = code.startsWith('channel') || code === 'not_in_channel' ? what?.channel : code.startsWith('user') ? what?.user : undefined;
        return { kind: 'not_found', message: code, code, what: target ? `${notFound} ${target}` : notFound };
      }
      return { kind: 'validation', message: code, code };
    }
    case ErrorCode.RateLimitedError:
      return { kind: 'rate_limited', message: 'ratelimited', status: 429, retryAfterMs: Math.max(0, (err as WebAPIRateLimitedError).retryAfter) * 1000 };
    case ErrorCode.HTTPError: {
      const status = (err as WebAPIHTTPError).statusCode;
      if (status === 401 || status === 403) return { kind: 'auth', message: `HTTP ${status}`, status };
      if (status >= 500) return { kind: 'server', message: `HTTP ${status}`, status };
      return { kind: 'validation', message: `HTTP ${status}`, status };
    }
    case ErrorCode.RequestError: {
      const original = (err as WebAPIRequestError).original;
      return { kind: 'network', message: original.name === 'TimeoutError' ? 'the request timed out' : 'the connection failed' };
    }
    default:
      return undefined;
  }
}

/** Re-throws a Slack SDK error as a classified ServiceProblemError (others unchanged). */
export function rethrowSlack(err: unknown, what?: Record<string, string>): never {
  const problem = slackProblem(err, what);
  if (problem) throw new ServiceProblemError(problem, { cause: err });
  throw err;
}
