// What other packages' tests (server end-to-end) use of Trello's test kit.
export { addFakeToken, startFakeTrello, trelloSignature } from './fake-trello.ts';
export type { FakeCard, FakeToken, FakeTrello, FakeTrelloOptions, RecordedRequest } from './fake-trello.ts';
export { allSpecProblems, specProblems } from './spec-check.ts';
export { trelloWebhookSignature } from '../trigger/signature.ts';
