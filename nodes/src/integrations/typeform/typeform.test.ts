// Typeform against the fake: activation creates the form's webhook with a generated secret and
// deactivation deletes it; deliveries are named by event_id, filtered by form; answers flattened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import type { InboundRequest } from '../framework/index.ts';
import { typeformIntegration } from './index.ts';
import { receiveTypeformResponse, typeformResponseActivation, typeformResponseTrigger } from './response.trigger.ts';
import { sampleTypeformAnswers, startFakeTypeform, typeformDelivery, type FakeTypeform } from './testing/fake-typeform.ts';

let fake: FakeTypeform;
beforeAll(async () => {
  fake = await startFakeTypeform();
});
afterAll(() => fake.close());

const call = (secret = fake.token) => testServiceCall(testCredential({ provider: 'typeform', secret }), fake.url);
const inbound = (body: string): InboundRequest => ({ method: 'POST', headers: {}, body: JSON.parse(body), rawBody: Buffer.from(body), url: 'https://keyflow.test/hooks/x', now: new Date() });

describe('typeform.response', () => {
  it('activation PUTs the form webhook with url, enabled, a random secret and verify_ssl; deactivation deletes it', async () => {
    const url = 'https://keyflow.test/hooks/tf';
    const { externalId, secret } = await typeformResponseActivation.activate(call(), { config: { formId: 'u6nXL7' }, callbackUrl: url });
    expect(externalId).toBe('u6nXL7/keyflow');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fake.webhooks).toEqual([{ formId: 'u6nXL7', tag: 'keyflow', url, enabled: true, secret, verifySsl: true }]);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/forms/u6nXL7/webhooks/keyflow' });
    await typeformResponseActivation.deactivate(call(), { config: { formId: 'u6nXL7' }, externalId });
    expect(fake.webhooks).toEqual([]);
    // Already gone: deactivation is still done.
    await typeformResponseActivation.deactivate(call(), { config: { formId: 'u6nXL7' }, externalId });
  });

  it('an unknown form names the form; a refused token is CredentialRejectedError', async () => {
    await expect(typeformResponseActivation.activate(call(), { config: { formId: 'Zz9999' }, callbackUrl: 'https://k.test/h' })).rejects.toThrow(/form Zz9999 was not found/);
    await expect(typeformResponseActivation.activate(call('tfp_wrong0123456789'), { config: { formId: 'u6nXL7' }, callbackUrl: 'https://k.test/h' })).rejects.toBeInstanceOf(CredentialRejectedError);
  });

  it('identity is GET /me', async () => {
    expect(await typeformIntegration.identity(call())).toEqual({ name: 'Ada' });
  });

  it('names the run by event_id and drops other forms and event types', () => {
    const body = typeformDelivery('u6nXL7', sampleTypeformAnswers(9), 'EVT01');
    expect(receiveTypeformResponse(inbound(body), { formId: 'u6nXL7' })).toEqual({ kind: 'run', deliveryId: 'typeform:EVT01' });
    expect(receiveTypeformResponse(inbound(body), { formId: 'Pq9Rs2' })).toMatchObject({ kind: 'ignore' });
    expect(receiveTypeformResponse(inbound(body.replace('"event_type":"form_response"', '"event_type":"form_partial"')), { formId: 'u6nXL7' })).toMatchObject({ kind: 'ignore' });
    expect(receiveTypeformResponse(inbound('{"hello":1}'), { formId: 'u6nXL7' })).toMatchObject({ kind: 'answer', status: 400 });
  });

  it('outputs the answers flattened by question title and by ref, plus hidden fields, score and raw', async () => {
    const body = JSON.parse(typeformDelivery('u6nXL7', sampleTypeformAnswers(4), 'EVT02'));
    const { output } = await typeformResponseTrigger.run(createIntegrationTestContext({ formId: 'u6nXL7' }, { trigger: { body } }) as never);
    expect(output).toMatchObject({
      eventId: 'EVT02',
      formTitle: 'Feedback',
      fields: { 'How do you rate us?': 4, Email: 'lead@example.com', 'What do you like?': ['Speed', 'Price'] },
      byRef: { rating_ref: 4, email_ref: 'lead@example.com' },
      hidden: { source: 'ad' },
      score: 9,
    });
    expect((output as { raw: unknown }).raw).toMatchObject({ form_id: 'u6nXL7' });
  });
});
