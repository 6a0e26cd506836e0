// Webflow: site and form filters, the run's name, the submission output, identity against the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import type { InboundRequest } from '../framework/index.ts';
import { receiveWebflowSubmission, webflowFormTrigger } from './form-submission.trigger.ts';
import { webflowIntegration } from './index.ts';
import { startFakeWebflow, WEBFLOW_SITE, webflowDelivery, type FakeWebflow } from './testing/fake-webflow.ts';

let fake: FakeWebflow;
beforeAll(async () => {
  fake = await startFakeWebflow();
});
afterAll(() => fake.close());

const inbound = (body: string): InboundRequest => ({ method: 'POST', headers: {}, body: JSON.parse(body), rawBody: Buffer.from(body), url: 'https://keyflow.test/hooks/x', now: new Date() });

describe('webflow.form_submission', () => {
  it('names the run by submission id and filters by site and form name', () => {
    const body = webflowDelivery('Contact', { Email: 'a@b.c' }, 'sub1');
    expect(receiveWebflowSubmission(inbound(body), {})).toEqual({ kind: 'run', deliveryId: 'webflow:sub1' });
    expect(receiveWebflowSubmission(inbound(body), { formName: 'Contact', siteId: WEBFLOW_SITE })).toMatchObject({ kind: 'run' });
    expect(receiveWebflowSubmission(inbound(body), { formName: 'Newsletter' })).toMatchObject({ kind: 'ignore' });
    expect(receiveWebflowSubmission(inbound(body), { siteId: '000000000000000000000000' })).toMatchObject({ kind: 'ignore' });
    expect(receiveWebflowSubmission(inbound('{"triggerType":"site_publish","payload":{}}'), {})).toMatchObject({ kind: 'ignore' });
    expect(receiveWebflowSubmission(inbound('{"x":1}'), {})).toMatchObject({ kind: 'answer', status: 400 });
  });

  it('outputs the form name, data fields and site id', async () => {
    const body = JSON.parse(webflowDelivery('Contact', { Name: 'Ada', Email: 'ada@example.com' }, 'sub2'));
    const { output } = await webflowFormTrigger.run(createIntegrationTestContext({}, { trigger: { body } }) as never);
    expect(output).toMatchObject({ id: 'sub2', formName: 'Contact', siteId: WEBFLOW_SITE, data: { Name: 'Ada', Email: 'ada@example.com' }, publishedPath: '/contact' });
  });

  it('identity is GET /v2/token/authorized_by; a wrong token is CredentialRejectedError', async () => {
    expect(await webflowIntegration.identity(testServiceCall(testCredential({ provider: 'webflow', secret: fake.token }), fake.url))).toEqual({ name: 'Ada Lovelace', accountId: '545bbecb7bdd6769632504a7' });
    await expect(webflowIntegration.identity(testServiceCall(testCredential({ provider: 'webflow', secret: 'nope' }), fake.url))).rejects.toBeInstanceOf(CredentialRejectedError);
  });
});
