// Slack: bot/user tokens or OAuth, the Web API through @slack/web-api.
import { defineIntegration } from '../framework/index.ts';
import { addReactionNode } from './add-reaction.node.ts';
import { deleteMessageNode } from './delete-message.node.ts';
import { slackEventInbound, slackEventTrigger } from './event.trigger.ts';
import { findUserNode } from './find-user.node.ts';
import { slackIdentity } from './identity.ts';
import { listChannelsNode } from './list-channels.node.ts';
import { channelOptions, userOptions } from './options.ts';
import { postMessageNode } from './post-message.node.ts';
import { updateMessageNode } from './update-message.node.ts';
import { uploadFileNode } from './upload-file.node.ts';
import { slackSpec } from './spec.ts';

export const slackIntegration = defineIntegration({
  service: slackSpec.service,
  title: slackSpec.title,
  credentialKinds: ['token', 'oauth2'],
  defaultBaseUrl: slackSpec.defaultBaseUrl,
  apiHosts: slackSpec.apiHosts,
  oauth: {
    authorizationUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    revocation: { url: 'https://slack.com/api/auth.revoke', style: 'slack_auth_revoke' },
    scopes: ['chat:write', 'reactions:write', 'files:write', 'channels:read', 'groups:read', 'users:read', 'users:read.email'],
    scopeSeparator: ',',
    clientAuth: 'client_secret_post',
    pkce: true,
    // oauth.v2.access answers HTTP 200 { ok: false, error } on failure and token_type "bot".
    normaliseTokenResponse: (body) =>
      body.ok === false ? { ok: false, body: { error: typeof body.error === 'string' ? body.error : 'invalid_request' } } : { ok: true, body: { ...body, token_type: 'bearer' } },
    labelFrom: (body) => {
      const team = body.team as { name?: unknown } | undefined;
      return typeof team?.name === 'string' ? `Slack (${team.name})` : undefined;
    },
  },
  identity: slackIdentity,
  options: { '*': { channels: channelOptions, users: userOptions } },
  nodes: [postMessageNode, updateMessageNode, deleteMessageNode, addReactionNode, uploadFileNode, listChannelsNode, findUserNode, slackEventTrigger],
  inbound: { 'slack.event': slackEventInbound },
});
