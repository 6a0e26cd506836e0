export { startFakes, type Fakes } from './start-fakes.ts';
export { FakeServer, type FakeReply, type FakeHandler, type RecordedRequest } from './fake-server.ts';
export { geminiInvalidKeyBody } from './gemini-dialect.ts';
export { validateJsonSchema, type SpecFile } from './validate-json-schema.ts';
export { startProviderFixture, canaryKey, models, type ProviderFixture } from './provider-fixture.ts';
