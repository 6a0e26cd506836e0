// The AI facade the executor lends to AI nodes, and what it is built from.
export { createAiBreaker, createAiFactory, type AiFactoryDeps } from './create-ai-factory.ts';
export { aiBaseUrls } from './ai-base-urls.ts';
export { createDbUsageSink } from './db-usage-sink.ts';
export { loadAiCredentials } from './load-ai-credentials.ts';
export { routerErrorToNodeError } from './router-error-to-node-error.ts';
export { previewRoute, type RoutePreview, type RoutePreviewInput } from './route-preview.ts';
