// Trello: REST through one small client (there is no official SDK), a "<API key>:<token>"
// credential, seven actions, the trello.event trigger with its webhook activation, and the
// editor's option lists. The layout follows ../README.md.
import { defineIntegration } from '../framework/index.ts';
import { addCommentNode } from './actions/add-comment.node.ts';
import { addLabelNode } from './actions/add-label.node.ts';
import { archiveCardNode } from './actions/archive-card.node.ts';
import { createCardNode } from './actions/create-card.node.ts';
import { findCardsNode } from './actions/find-cards.node.ts';
import { moveCardNode } from './actions/move-card.node.ts';
import { updateCardNode } from './actions/update-card.node.ts';
import { trelloIdentity } from './identity.ts';
import { trelloOptions } from './options.ts';
import { trelloSpec } from './spec.ts';
import { trelloEventActivation } from './trigger/activation.ts';
import { trelloEventInbound } from './trigger/delivery.ts';
import { trelloEventTrigger } from './trigger/event.trigger.ts';

export const trelloNodes = [createCardNode, updateCardNode, moveCardNode, archiveCardNode, addCommentNode, addLabelNode, findCardsNode, trelloEventTrigger] as const;

export const trelloIntegration = defineIntegration({
  service: trelloSpec.service,
  title: trelloSpec.title,
  credentialKinds: ['key_token'],
  defaultBaseUrl: trelloSpec.defaultBaseUrl,
  apiHosts: trelloSpec.apiHosts,
  identity: trelloIdentity,
  options: { '*': trelloOptions },
  nodes: trelloNodes,
  inbound: { 'trello.event': trelloEventInbound },
  activations: { 'trello.event': trelloEventActivation },
});

export { TrelloClient, trelloPath } from './client.ts';
export { classifyTrelloFailure } from './errors.ts';
export { trelloEventConfig, type TrelloEventConfig } from './trigger/config.ts';
export { receiveTrelloEvent, REPLAY_WINDOW_SECONDS, SIGNATURE_HEADER, toTrelloEvent, trelloEventInbound, verifyTrelloDelivery } from './trigger/delivery.ts';
export type { TrelloEvent } from './trigger/delivery.ts';
export { trelloWebhookSignature, verifyTrelloSignature } from './trigger/signature.ts';
export { addCommentNode, addLabelNode, archiveCardNode, createCardNode, findCardsNode, moveCardNode, trelloEventTrigger, updateCardNode };
