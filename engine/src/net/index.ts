export { createSafeFetch } from './safe-fetch.ts';
export type { SafeFetch, SafeFetchInit, SafeFetchOptions, SafeResponse } from './safe-fetch.ts';
export { OutboundRequestError } from './outbound-request-error.ts';
export type { OutboundErrorCode } from './outbound-request-error.ts';
export { allowsAddress, allowsHost, EMPTY_ALLOW_LIST, parseAllowList } from './allow-list.ts';
export type { AllowList } from './allow-list.ts';
export { classifyHostname, classifyIp } from './ip-policy.ts';
export type { IpVerdict, RefusalReason } from './ip-policy.ts';
export type { Resolver, ResolvedAddress } from './guarded-connector.ts';
