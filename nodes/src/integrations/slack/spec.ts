// Slack's fixed facts, apart from its nodes (so the client can use them without a cycle).
export const slackSpec = {
  service: 'slack',
  title: 'Slack',
  defaultBaseUrl: 'https://slack.com/api/',
  apiHosts: ['slack.com', 'files.slack.com'] as readonly string[],
  fixAuth: 'reconnect Slack under Connections, or paste a new bot token (xoxb-…) under Keys',
} as const;

export const slackSubject = { title: slackSpec.title, fixAuth: slackSpec.fixAuth };
