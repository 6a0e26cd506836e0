// The Typeform, Cal.com, Webflow and Telegram mappings: triggers and Telegram's send operations,
// each imported graph valid; what cannot be carried stays a placeholder naming why.
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '@keyflow/nodes';
import { validateGraph } from '../../graph/index.ts';
import { importN8nWorkflow } from './import-n8n.ts';

const B = 'n8n-nodes-base.';
type Params = Record<string, unknown>;

/** Imports `T (trigger) → X` and returns both as imported. */
function imp(trigger: { type: string; parameters: Params }, x: { type: string; parameters: Params } = { type: `${B}noOp`, parameters: {} }) {
  const doc = { nodes: [{ name: 'T', typeVersion: 1, ...trigger }, { name: 'X', typeVersion: 1, ...x }], connections: { T: { main: [[{ node: 'X', type: 'main', index: 0 }]] } } };
  const r = importN8nWorkflow(doc, { registry: defaultRegistry, minScheduleSeconds: 60 });
  expect(validateGraph(r.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
  const get = (name: string) => ({ node: r.graph.nodes.find((n) => n.name === name)!, report: r.report.nodes.find((n) => n.name === name)! });
  return { t: get('T'), x: get('X') };
}

describe('n8n signed-app triggers', () => {
  it.each([
    ['typeformTrigger', { formId: 'u6nXL7', simplifyAnswers: true }, 'typeform.response', { formId: 'u6nXL7' }],
    ['typeformTrigger (resource locator)', { formId: { __rl: true, mode: 'list', value: 'Pq9Rs2' } }, 'typeform.response', { formId: 'Pq9Rs2' }],
    ['calTrigger', { events: ['BOOKING_CREATED', 'BOOKING_CANCELLED', 'MEETING_STARTED'] }, 'calcom.booking', { events: ['BOOKING_CREATED', 'BOOKING_CANCELLED'] }],
    ['webflowTrigger', { site: '580e63e98c9a982ac9b8b741', event: 'form_submission' }, 'webflow.form_submission', { siteId: '580e63e98c9a982ac9b8b741' }],
    ['telegramTrigger', { updates: ['message', 'inline_query'], additionalFields: { chatIds: '123, -100777' } }, 'telegram.message', { updateTypes: ['message'], chatIds: ['123', '-100777'] }],
    ['telegramTrigger (all updates)', { updates: ['*'] }, 'telegram.message', { updateTypes: ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query'] }],
  ])('%s → our trigger', (type, parameters, ours, config) => {
    const { t } = imp({ type: `${B}${type.split(' ')[0]}`, parameters });
    expect(t.node).toMatchObject({ type: ours, config });
    expect(t.report.status).toBe('mapped');
  });

  it.each([
    ['typeformTrigger', { formId: '={{ $env.FORM }}' }, /one form/],
    ['webflowTrigger', { site: 'x', event: 'collection_item_created' }, /collection_item_created/],
  ])('%s that cannot be carried stays a placeholder trigger', (type, parameters, reason) => {
    const { t } = imp({ type: `${B}${type}`, parameters });
    expect(t.node.type).toBe('core.unsupported_trigger');
    expect(t.report.reason).toMatch(reason);
  });
});

describe('n8n Telegram', () => {
  const trigger = { type: `${B}telegramTrigger`, parameters: { updates: ['message'] } };

  it('sendMessage answers the chat the trigger saw, with its parse mode', () => {
    const { x } = imp(trigger, { type: `${B}telegram`, parameters: { chatId: '={{ $json.message.chat.id }}', text: '=You said {{ $json.message.text }}', additionalFields: { parse_mode: 'HTML', disable_notification: true } } });
    expect(x.node).toMatchObject({ type: 'telegram.send_message', config: { chatId: '{{ $node["T"].output.message.chat.id }}', text: 'You said {{ $node["T"].output.message.text }}', parseMode: 'HTML', disableNotification: true } });
    expect(x.report.status).toBe('mapped');
  });

  it('sendPhoto by URL maps; from binary data it does not; other operations stay placeholders', () => {
    expect(imp(trigger, { type: `${B}telegram`, parameters: { operation: 'sendPhoto', chatId: '123', file: 'https://example.com/a.png', additionalFields: { caption: 'hi' } } }).x.node).toMatchObject({ type: 'telegram.send_photo', config: { chatId: '123', photoUrl: 'https://example.com/a.png', caption: 'hi' } });
    expect(imp(trigger, { type: `${B}telegram`, parameters: { operation: 'sendPhoto', chatId: '123', binaryData: true } }).x.report.reason).toMatch(/binary data/);
    expect(imp(trigger, { type: `${B}telegram`, parameters: { resource: 'chat', operation: 'get', chatId: '123' } }).x.node.type).toBe('core.unsupported');
  });
});
