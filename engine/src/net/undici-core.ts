// The three parts of undici the guarded fetch uses, loaded by their own paths. undici's index
// loads all of it (fetch, WebSocket, EventSource, caches, mocks, proxy agents: 109 modules,
// 5.3 MB of V8 heap in every process); these three take 25 modules and 2.6 MB. The paths are
// those of the version engine/package.json pins; undici-core.test.ts fails if they move.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

// undici's index also installs one of its Agents as the process's global dispatcher, which
// Node's own fetch then uses (the SDKs' requests, every plain fetch()); lib/global.js is that step.
require('undici/lib/global.js');

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
export type Connector = Undici.buildConnector.connector;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'>;
type ApiRequest = (this: Undici.Dispatcher, opts: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
const apiRequest = require('undici/lib/api/api-request.js') as ApiRequest;

/** undici's `request(url, { dispatcher, ... })` for a parsed URL, without undici's index. */
export function request(url: URL, dispatcher: Undici.Dispatcher, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, { ...opts, origin: url.origin, path: `${url.pathname}${url.search}` });
}
