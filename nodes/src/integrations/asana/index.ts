// Asana: the official `asana` SDK over the framework's guarded fetch (client.ts), a personal
// access token or OAuth 2.0, six actions, the asana.event trigger (webhook created on
// activation, X-Hook-Secret handshake, X-Hook-Signature check) and the editor's option lists.
// The layout follows ../README.md.
import { defineIntegration } from '../framework/index.ts';
import { addCommentNode } from './actions/add-comment.node.ts';
import { addToProjectNode } from './actions/add-to-project.node.ts';
import { completeTaskNode } from './actions/complete-task.node.ts';
import { createTaskNode } from './actions/create-task.node.ts';
import { findTasksNode } from './actions/find-tasks.node.ts';
import { updateTaskNode } from './actions/update-task.node.ts';
import { asanaIdentity } from './identity.ts';
import { asanaOptions } from './options.ts';
import { asanaSpec } from './spec.ts';
import { asanaEventActivation } from './trigger/activation.ts';
import { asanaEventInbound } from './trigger/delivery.ts';
import { asanaEventTrigger } from './trigger/event.trigger.ts';

export const asanaIntegration = defineIntegration({
  service: asanaSpec.service,
  title: asanaSpec.title,
  credentialKinds: ['token', 'oauth2'],
  defaultBaseUrl: asanaSpec.defaultBaseUrl,
  apiHosts: asanaSpec.apiHosts,
  oauth: {
    authorizationUrl: 'https://app.asana.com/-/oauth_authorize',
    tokenUrl: 'https://app.asana.com/-/oauth_token',
    revocation: { url: 'https://app.asana.com/-/oauth_revoke', style: 'rfc7009' },
    // Asana's granular scopes, for what the nodes, options, identity and trigger call.
    scopes: ['tasks:read', 'tasks:write', 'stories:write', 'projects:read', 'workspaces:read', 'users:read', 'custom_fields:read', 'webhooks:write', 'webhooks:delete'],
    clientAuth: 'client_secret_post',
    pkce: true,
    labelFrom: (body) => {
      const data = body.data as { name?: unknown; email?: unknown } | undefined;
      const who = typeof data?.name === 'string' ? data.name : typeof data?.email === 'string' ? data.email : undefined;
      return who ? `Asana (${who})` : undefined;
    },
  },
  identity: asanaIdentity,
  options: { '*': asanaOptions },
  nodes: [createTaskNode, updateTaskNode, completeTaskNode, addCommentNode, addToProjectNode, findTasksNode, asanaEventTrigger],
  inbound: { 'asana.event': asanaEventInbound },
  activations: { 'asana.event': asanaEventActivation },
});

export { asanaClient, asanaGid } from './client.ts';
export { classifyAsanaFailure } from './errors.ts';
export { toAsanaRichText } from './rich-text.ts';
export { asanaEventConfig } from './trigger/config.ts';
export { asanaEventInbound, HOOK_SECRET_HEADER, HOOK_SIGNATURE_HEADER, receiveAsanaEvent } from './trigger/delivery.ts';
export { addCommentNode, addToProjectNode, asanaEventTrigger, completeTaskNode, createTaskNode, findTasksNode, updateTaskNode };
