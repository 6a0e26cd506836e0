// Notion: internal integration secrets or OAuth, the API through @notionhq/client (2025-09-03,
// data sources).
import { defineIntegration } from '../framework/index.ts';
import { notionAppendBlocksNode } from './append-blocks.node.ts';
import { notionArchivePageNode } from './archive-page.node.ts';
import { notionCreatePageNode } from './create-page.node.ts';
import { notionGetPageNode } from './get-page.node.ts';
import { notionIdentity } from './identity.ts';
import { notionPageAddedPoll, notionPageAddedTrigger } from './page-added.trigger.ts';
import { notionPageUpdatedPoll, notionPageUpdatedTrigger } from './page-updated.trigger.ts';
import { databasesOption, propertiesOption } from './options.ts';
import { notionQueryDatabaseNode } from './query-database.node.ts';
import { notionSpec } from './spec.ts';
import { notionUpdatePageNode } from './update-page.node.ts';

export const notionNodes = [notionCreatePageNode, notionUpdatePageNode, notionQueryDatabaseNode, notionAppendBlocksNode, notionGetPageNode, notionArchivePageNode, notionPageAddedTrigger, notionPageUpdatedTrigger] as const;

export const notionIntegration = defineIntegration({
  service: notionSpec.service,
  title: notionSpec.title,
  credentialKinds: ['token', 'oauth2'],
  defaultBaseUrl: notionSpec.defaultBaseUrl,
  apiHosts: notionSpec.apiHosts,
  oauth: {
    authorizationUrl: 'https://api.notion.com/v1/oauth/authorize',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    // No revocation declared: Notion's /v1/oauth/revoke takes a JSON body, not RFC 7009's form,
    // so disconnect deletes the credential without revoking at Notion.
    // Notion grants the capabilities chosen in the integration's settings, not OAuth scopes.
    scopes: [],
    clientAuth: 'client_secret_basic',
    pkce: false,
    authorizationParams: { owner: 'user' },
    // Notion's token answer names the workspace the owner picked.
    labelFrom: (body) => (typeof body.workspace_name === 'string' && body.workspace_name !== '' ? `Notion: ${body.workspace_name.slice(0, 100)}` : undefined),
  },
  identity: notionIdentity,
  options: {
    '*': { databases: databasesOption },
    'notion.create_page': { properties: propertiesOption },
    'notion.update_page': { properties: propertiesOption },
    'notion.query_database': { properties: propertiesOption },
  },
  nodes: notionNodes,
  polls: { 'notion.page_added': notionPageAddedPoll, 'notion.page_updated': notionPageUpdatedPoll },
});
