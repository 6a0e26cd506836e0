// Runs graphs end to end through the real server (`cli.ts server`, fresh Postgres database) with
// every outside service on loopback: the OpenAI fake, fake Slack, Notion, Trello and Google speaking their
// wire formats, and a catch-all JSON fake for any other URL. Shared by `bench import` and
// `bench generate` ("the share of graphs that run end to end against local fakes").
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from '@keyflow/engine';
import { startFakes } from '@keyflow/engine/fakes';
import { createPostgresDatabase } from '@keyflow/engine/testing';
import { createFakeGoogle, fakeDrive, fakeGmail, fakeSheets } from '@keyflow/nodes/testing/fake-google';
import { startFakeNotion } from '@keyflow/nodes/testing/fake-notion';
import { startFakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { startFakeTelegram } from '@keyflow/nodes/testing/fake-telegram';
import { addFakeToken, startFakeTrello } from '@keyflow/nodes/testing/fake-trello';
import { apiCall, stringField } from './api-client.ts';
import { onCleanup } from './cleanup.ts';
import { signupAndToken } from './signup-and-token.ts';
import { startServer } from './start-server.ts';

const RUN_TIMEOUT_MS = 20_000;

/** Answers every request 200 with a small JSON object, as a stand-in for each service a graph calls. */
export async function startCatchAllFake(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, id: 'fake-1', data: [], items: [], choices: [{ message: { content: 'fake answer' } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

export interface LocalWorld {
  url: string;
  token: string;
  /** Every http(s) URL in `text` pointed at a fake: an AI provider's API at its fake (the real wire format), any other host at the catch-all (host kept as the first path segment). */
  pointAtFakes(text: string): string;
  /** Ids the fakes know, for fields a user would pick (a Trello list, a Notion database, a spreadsheet, a Drive file). */
  picks: { trelloListId: string; notionDatabaseId: string; spreadsheetId: string; driveFileId: string; telegramChatId: string };
  /** What the engine's Gmail polling hands gmail.new_message for a message fake Gmail holds. */
  gmailEvent: Record<string, unknown>;
  /** What the engine's polling hands each other polling trigger (drive.*, notion.page_*), for an item the fakes hold. */
  pollEvents: Record<string, Record<string, unknown>>;
  /** Makes `#name` a channel fake Slack knows (the user's workspace would have it). */
  addSlackChannel(name: string): void;
  hits(): number;
  stop(): Promise<void>;
}

/**
 * The server on a fresh database, the owner signed up with one key for OpenAI, Slack, Notion and
 * Trello (each only one, so nodes without a credentialId get it), and the fakes behind them.
 */
export async function startLocalWorld(progress: (m: string) => void): Promise<LocalWorld> {
  const ai = await startFakes();
  const slack = await startFakeSlack();
  const notion = await startFakeNotion();
  const trello = await startFakeTrello();
  const google = await createFakeGoogle();
  const telegram = await startFakeTelegram();
  const catchAll = await startCatchAllFake();
  onCleanup(() => Promise.all([ai.close(), slack.close(), notion.close(), trello.close(), google.close(), telegram.close()]).then(() => undefined));
  ai.servers.openai.setHandler((req) => (req.path.endsWith('/chat/completions') ? { text: 'A short fake answer: the budget is 25000.' } : undefined));
  progress('creating a fresh Postgres database and starting the server (cli.ts server)');
  const db = await createPostgresDatabase();
  onCleanup(() => db.drop());
  if (!db.url) throw new Error('createPostgresDatabase returned no URL');
  const server = await startServer({
    databaseUrl: db.url,
    env: { KEYFLOW_HTTP_ALLOW: '127.0.0.1', KEYFLOW_OPENAI_BASE_URL: ai.baseUrls.openai, KEYFLOW_SLACK_BASE_URL: slack.apiUrl, KEYFLOW_NOTION_BASE_URL: notion.url, KEYFLOW_TRELLO_BASE_URL: trello.url, KEYFLOW_GOOGLE_BASE_URL: google.url, KEYFLOW_TELEGRAM_BASE_URL: telegram.url },
  });
  const { token } = await signupAndToken(server.url);
  const slackToken = `xoxb-bench-${'0'.repeat(24)}`;
  slack.tokens.set(slackToken, ['chat:write', 'channels:read', 'users:read', 'reactions:write', 'files:write']);
  const notionSecret = `ntn_bench${'0'.repeat(40)}`;
  notion.addToken(notionSecret);
  const { databaseId, dataSourceIds } = notion.addDatabase('Bench', [{ name: 'Name', type: 'title' }]);
  const trelloToken = addFakeToken(trello);
  // Google: a service-account key the fake knows, a spreadsheet, a Drive file and one received email.
  const sheet = fakeSheets(google).addSpreadsheet('Bench', { Sheet1: [['text']] });
  const file = fakeDrive(google).addFile({ name: 'bench.txt', mimeType: 'text/plain', content: Buffer.from('A contract: budget 25000 USD, due next week.') });
  const mail = fakeGmail(google).deliver({ from: 'ada@example.com', subject: 'Demo request', text: 'We want a demo next week, budget 25000 USD.' });
  const created = new Date().toISOString();
  const driveEvent = { id: file.id, name: file.name, mimeType: file.mimeType, size: file.content.length, createdTime: file.createdTime, modifiedTime: file.modifiedTime, webViewLink: `https://drive.google.com/file/d/${file.id}/view`, parents: file.parents };
  const pageId = notion.addPage(dataSourceIds[0]!, { Name: [{ text: { content: 'A contract: budget 25000 USD, due next week.' } }] });
  const notionEvent = { id: pageId, url: `https://www.notion.so/${pageId.replace(/-/g, '')}`, createdTime: created, lastEditedTime: created, archived: false, properties: { Name: 'A contract: budget 25000 USD, due next week.' } };
  const pollEvents = { 'drive.new_file': driveEvent, 'drive.file_updated': driveEvent, 'notion.page_added': notionEvent, 'notion.page_updated': notionEvent };
  const gmailEvent = { messageId: mail.id, threadId: mail.threadId, labelIds: mail.labelIds, from: 'ada@example.com', to: 'me@example.com', subject: 'Demo request', date: new Date().toUTCString(), snippet: mail.snippet, historyId: mail.historyId };
  // A bot fake Telegram knows, and the chat of the telegram.message trigger's sample event.
  const bot = telegram.addBot();
  telegram.chats.add(String(123456789));
  const secrets = { openai: `sk-bench-${'0'.repeat(32)}`, slack: slackToken, notion: notionSecret, trello: `${trelloToken.key}:${trelloToken.token}`, google: google.serviceAccountKey(), telegram: bot.token };
  for (const [provider, secret] of Object.entries(secrets)) await apiCall(server.url, '/api/credentials', { method: 'POST', token, body: { provider, label: `${provider} (bench)`, secret }, expect: 201 });
  let channels = 0;
  // Where a workflow calls a provider's API by HTTP itself, the provider's fake answers in its own format.
  const providerHosts: Record<string, string> = {
    'api.openai.com': ai.servers.openai.origin,
    'api.anthropic.com': ai.servers.anthropic.origin,
    'api.deepseek.com': ai.servers.deepseek.origin,
    'generativelanguage.googleapis.com': ai.servers.gemini.origin,
  };
  return {
    pointAtFakes: (text) => text.replace(/https?:\/\/([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, (_m, host: string) => providerHosts[host.toLowerCase()] ?? `${catchAll.url}/${host}`),
    url: server.url,
    token,
    picks: { trelloListId: trello.lists[0]!.id, notionDatabaseId: databaseId, spreadsheetId: sheet.spreadsheetId, driveFileId: file.id, telegramChatId: '424242' },
    gmailEvent,
    pollEvents,
    addSlackChannel(name) {
      if (!slack.channels.some((c) => c.name === name)) slack.channels.push({ id: `C0BENCH${++channels}`, name, is_member: true });
    },
    hits: catchAll.hits,
    stop: () => server.stop(),
  };
}

/**
 * What a test run of `graph` hands its trigger: a message fake Gmail holds for gmail.new_message,
 * a file or page the fakes hold for the Drive and Notion polls, an app trigger's own sample event (what a delivery or poll would hand it), else `fallback`.
 */
export function triggerEvent(world: Pick<LocalWorld, 'gmailEvent' | 'pollEvents'>, graph: { nodes: readonly { type: string }[] }, fallback: unknown): unknown {
  for (const n of graph.nodes) {
    if (n.type === 'gmail.new_message') return world.gmailEvent;
    if (world.pollEvents[n.type]) return world.pollEvents[n.type];
    const def = generate.defaultRegistry.latest(n.type);
    if (def?.kind === 'trigger' && def.sampleEvent !== undefined) return structuredClone(def.sampleEvent);
  }
  return fallback;
}

export interface RunOutcome {
  ok: boolean;
  /** The run's last status seen ('waiting': parked on a delay past the bench's patience). */
  status?: string;
  /** Why not: the run's status and its failed step's error, or the API's refusal. */
  failure?: string;
}

/** Saves a graph as a workflow, runs it once with `payload` (the trigger's data) and waits for the end. */
export async function saveAndRun(world: Pick<LocalWorld, 'url' | 'token'>, name: string, graph: unknown, payload: unknown): Promise<RunOutcome> {
  const { url, token } = world;
  try {
    const saved = await apiCall(url, '/api/workflows', { method: 'POST', token, body: { name: name.slice(0, 200), graph }, expect: 201 });
    const id = stringField(saved.json, 'id', 'create workflow');
    const started = await apiCall(url, `/api/workflows/${id}/run`, { method: 'POST', token, body: { payload }, expect: 202 });
    const runId = stringField(started.json, 'runId', 'run');
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let run: { status: string; steps?: { nodeId: string; status: string; error: unknown }[] } = { status: 'queued' };
    while (!['succeeded', 'failed', 'cancelled'].includes(run.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await apiCall(url, `/api/runs/${runId}`, { token })).json as typeof run;
    }
    if (run.status === 'succeeded') return { ok: true, status: run.status };
    const failed = run.steps?.find((s) => s.status === 'failed');
    return { ok: false, status: run.status, failure: `${run.status}${failed ? ` at ${failed.nodeId}: ${JSON.stringify(failed.error).slice(0, 160)}` : ''}` };
  } catch (error) {
    return { ok: false, failure: error instanceof Error ? error.message.slice(0, 200) : String(error) };
  }
}
