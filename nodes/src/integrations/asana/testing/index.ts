export { addFakeToken, startFakeAsana, type FakeAsana, type FakeTask, type FakeToken, type FakeWebhook, type RecordedRequest } from './fake-asana.ts';
export { allSpecProblems, specProblems } from './spec-check.ts';
