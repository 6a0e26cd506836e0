// The planner on the issue's sentence and on a sample of the public corpus: every graph valid
// with the API's validator, the trigger and kinds it states, credentials listed, never guessed.
import { readFileSync } from 'node:fs';
import { defaultRegistry } from '@keyflow/nodes';
import { createNodeRegistry, defineNode } from '@keyflow/nodes/contract';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../graph/validate-graph.ts';
import { buildCatalog, scoreEntry } from './catalog.ts';
import { cronFromPhrase } from './cron-phrase.ts';
import { kindOfType } from './kinds.ts';
import { layoutLeftToRight } from './layout.ts';
import { planWorkflow } from './plan-workflow.ts';
import { readDescription } from './read-description.ts';

const ISSUE = 'when a form is posted to my webhook, summarise it with AI and post it to Slack #leads, and if it mentions a budget over 10k also create a Trello card';
const hasTrello = defaultRegistry.list().some((d) => d.type.startsWith('trello.'));

type Row = { id: string; prompt: string; trigger: string; must_include: string[] };
const sample: Row[] = readFileSync(new URL('./fixtures/nl2graph-sample.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Row);
/** Kinds the catalog has a node for: the only ones a planner can place. */
const placeable = new Set(defaultRegistry.list().map((d) => kindOfType(d.type)));

describe('planWorkflow on the issue example', () => {
  const result = planWorkflow(ISSUE, defaultRegistry);
  const byType = (t: string) => result.graph.nodes.filter((n) => n.type === t);
  const edge = (s: string, t: string) => result.graph.edges.find((e) => e.source === s && e.target === t);

  it('gives a valid graph: webhook → AI summary → Slack #leads, and a budget condition beside it', () => {
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
    expect(result.source).toBe('planner');
    const [hook] = byType('core.webhook');
    const [ai] = byType('ai.complete');
    const [slack] = byType('slack.post_message');
    const [cond] = byType('core.condition');
    expect(hook && ai && slack && cond).toBeTruthy();
    expect(ai!.config.prompt).toMatch(/^Summarise/);
    expect(ai!.config.prompt).toContain('{{ $trigger.body }}');
    expect(slack!.config).toMatchObject({ channel: '#leads', text: `{{ $node["${ai!.id}"].output.text }}` });
    expect(cond!.config.if).toBe('{{ number($trigger.body?.budget) > 10000 }}');
    expect(edge(hook!.id, ai!.id)).toBeDefined();
    expect(edge(ai!.id, slack!.id)).toBeDefined();
    // "also": the condition hangs beside the Slack post, not after it.
    expect(edge(ai!.id, cond!.id)).toBeDefined();
    if (hasTrello) {
      const card = result.graph.nodes.find((n) => n.type.startsWith('trello.'))!;
      expect(card.type).toBe('trello.create_card');
      expect(result.graph.edges.find((e) => e.source === cond!.id && e.target === card.id)?.sourceHandle).toBe('true');
      // A condition passes its input on: the card is named from the AI summary, not the condition.
      expect(card.config.name).toBe(`{{ $node["${ai!.id}"].output.text }}`);
      expect(result.explanation.find((e) => e.nodeId === card.id)!.text).toMatch(/pick its listId/);
      expect(result.credentials).toContainEqual({ nodeId: card.id, provider: 'trello' });
    } else {
      expect(result.unplaced.join(' ')).toMatch(/Trello/);
    }
  });

  it('never guesses a credential and lists the nodes that need one', () => {
    for (const n of result.graph.nodes) expect(n.config).not.toHaveProperty('credentialId');
    expect(result.credentials).toContainEqual({ nodeId: byType('slack.post_message')[0]!.id, provider: 'slack' });
  });

  it('explains every node in one sentence, quoting the description', () => {
    expect(result.explanation.map((e) => e.nodeId)).toEqual(result.graph.nodes.map((n) => n.id));
    for (const e of result.explanation) expect(e.text).toMatch(/^[A-Z].*\.$/);
    expect(result.explanation.find((e) => e.nodeId === byType('slack.post_message')[0]!.id)!.text).toContain('Slack #leads');
  });

  it('lays the graph out left to right: every edge goes rightwards', () => {
    const x = new Map(result.graph.nodes.map((n) => [n.id, n.position.x]));
    for (const e of result.graph.edges) expect(x.get(e.target)!).toBeGreaterThan(x.get(e.source)!);
  });

  it('is deterministic', () => {
    expect(planWorkflow(ISSUE, defaultRegistry)).toEqual(result);
  });
});

describe('planWorkflow on corpus descriptions', () => {
  it.each(sample.map((r) => [r.id, r] as const))('%s: valid, its trigger, and the kinds the catalog can place', (_id, row) => {
    const result = planWorkflow(row.prompt, defaultRegistry);
    const checked = validateGraph(result.graph, defaultRegistry);
    expect(checked.ok, JSON.stringify(checked.ok ? [] : checked.issues)).toBe(true);
    const kinds = new Set(result.graph.nodes.map((n) => kindOfType(n.type)));
    expect(readDescription(row.prompt).trigger.class).toBe(row.trigger);
    for (const k of row.must_include) {
      if (placeable.has(k as never)) expect(kinds, `${row.id} needs ${k}`).toContain(k);
      else expect(result.unplaced.join(' ').toLowerCase(), `${row.id}: ${k} is listed as unplaced`).toContain(k.replace('google_', 'google ').split('_')[0]);
    }
  });
});

describe('the reading behind the plan', () => {
  it.each([
    ['every weekday at 9', '0 9 * * 1-5'],
    ['every weekday at 9:30am', '30 9 * * 1-5'],
    ['daily at 7pm', '0 19 * * *'],
    ['every 15 minutes', '*/15 * * * *'],
    ['every 2 hours', '0 */2 * * *'],
    ['every monday at 8', '0 8 * * 1'],
    ['hourly', '0 * * * *'],
    ['every morning', '0 8 * * *'],
    ['once a day', '0 9 * * *'],
  ])('"%s" reads as %s', (phrase, cron) => {
    expect(cronFromPhrase(phrase)?.cron).toBe(cron);
  });

  it('reads the trigger class from the words', () => {
    expect(readDescription('every weekday at 9 fetch the orders API and post them to Slack #sales').trigger).toMatchObject({ class: 'schedule', cron: { cron: '0 9 * * 1-5' } });
    expect(readDescription('when someone mentions the bot in Slack, answer with AI').trigger).toMatchObject({ class: 'app-event', service: 'slack' });
    expect(readDescription('translate this text into French').trigger.class).toBe('manual');
  });

  it('reads app events, pulling words and change watching as general phrases', () => {
    expect(readDescription('An assistant that answers questions in Discord chats using AI').trigger.class).toBe('app-event');
    expect(readDescription('An agent that processes voice notes and photos sent in WhatsApp groups').trigger.class).toBe('app-event');
    expect(readDescription('Detects price changes on a competitor page and posts them to Slack #pricing').trigger.class).toBe('schedule');
    // "retrieval" is a noun of search, not a pull: no schedule read from it.
    expect(readDescription('Indexes help articles in a vector store for search and retrieval').trigger.class).toBe('manual');
  });

  it('keeps the words that read as a pulled schedule as a fetch step too', () => {
    const result = planWorkflow('fetches your latest starred repos, summarises them with AI and posts them to Slack #dev', defaultRegistry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['core.schedule', 'core.http', 'ai.complete', 'slack.post_message']);
  });

  it('picks the action whose own keywords the clause uses, inflections included (alerts, notifications)', () => {
    for (const text of ['every hour check the status API and send alerts to Slack', 'when a form is posted to my webhook, add it to Notion, with Slack notifications for urgent ones']) {
      const types = planWorkflow(text, defaultRegistry).graph.nodes.map((n) => n.type);
      expect(types.filter((t) => t.startsWith('slack.')), text).toEqual(['slack.post_message']);
    }
  });

  it('scores a clause by the node\'s own keywords (inflected) above the words of its title', () => {
    const entry = (type: string) => buildCatalog(defaultRegistry).find((e) => e.type === type)!;
    expect(scoreEntry(entry('slack.post_message'), 'two alerts came in')).toBe(2);
    expect(scoreEntry(entry('slack.post_message'), 'alertness')).toBe(0);
    // "slack" is a keyword of post_message, only a title word of add_reaction.
    expect(scoreEntry(entry('slack.post_message'), 'in slack')).toBeGreaterThan(scoreEntry(entry('slack.add_reaction'), 'in slack'));
    expect(scoreEntry(entry('slack.add_reaction'), 'adds a reaction')).toBe(2);
  });

  it('a text field fed the previous step\'s whole output gets it as JSON text; an AI answer\'s text goes in as it is', () => {
    const hook = planWorkflow('when a form is posted to my webhook, post it to Slack #leads', defaultRegistry).graph.nodes.find((n) => n.type === 'slack.post_message')!;
    expect(hook.config.text).toBe('{{ json($trigger.body) }}');
    const ai = planWorkflow('when a form is posted to my webhook, summarise it with AI and post it to Slack #leads', defaultRegistry).graph.nodes.find((n) => n.type === 'slack.post_message')!;
    expect(ai.config.text).toMatch(/^\{\{ \$node\["ai"\]\.output\.text \}\}$/);
  });

  it('a loop iterates the data\'s items (an HTTP answer\'s under body) until the user points it elsewhere', () => {
    const loopOf = (text: string) => planWorkflow(text, defaultRegistry).graph.nodes.find((n) => n.type === 'core.loop')!.config.items;
    expect(loopOf('every morning, for each lead, write an email with AI')).toBe('{{ $trigger.items }}');
    expect(loopOf('every morning fetch the orders API. for each order, summarise it with AI')).toBe('{{ $node["http"].output.body.items }}');
  });

  it('reaches a named app with no node of ours through an HTTP node that names it', () => {
    const result = planWorkflow('every morning fetch the weather API and store the readings in Airtable', defaultRegistry);
    const http = result.graph.nodes.filter((n) => n.type === 'core.http');
    expect(http).toHaveLength(2);
    expect(result.explanation.find((e) => e.nodeId === http[1]!.id)!.text).toMatch(/Airtable's API \(the catalog has no Airtable node\)/);
    expect(http[1]!.config).toMatchObject({ method: 'POST' });
  });

  it('an app the catalog gains nodes for (by title or keyword) gets its best action instead of an HTTP call', () => {
    const record = defineNode({
      type: 'airtable.create_record',
      version: 1,
      title: 'Airtable: create record',
      description: 'Adds a record to an Airtable table.',
      keywords: ['airtable', 'store', 'add a record'],
      category: 'integration',
      kind: 'action',
      config: z.strictObject({ baseId: z.string().min(1), fields: z.record(z.string(), z.unknown()).default({}) }),
      run: async () => ({ output: {} }),
    });
    const registry = createNodeRegistry([...defaultRegistry.list(), record]);
    const result = planWorkflow('every morning fetch the weather API and store the readings in Airtable', registry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['core.schedule', 'core.http', 'airtable.create_record']);
    expect(result.explanation.at(-1)!.text).toMatch(/^Airtable: create record, because .*\(pick its baseId\)\.$/);
    expect(validateGraph(result.graph, registry).ok).toBe(true);
  });

  it('uses an app trigger from the catalog when the event comes from a service it has one for', () => {
    const result = planWorkflow('when someone mentions the bot in Slack, summarise the thread with AI and post it to #general', defaultRegistry);
    expect(result.graph.nodes[0]!.type).toBe('slack.event');
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['slack.event', 'ai.complete', 'slack.post_message']);
  });

  it('an app event with no trigger in the catalog gets a webhook stand-in, said so', () => {
    const result = planWorkflow('when a new order arrives in Shopify, classify it with AI', defaultRegistry);
    expect(result.graph.nodes[0]!.type).toBe('core.webhook');
    expect(result.unplaced.join(' ')).toMatch(/Shopify trigger/);
  });

  it('an app event with a trigger in the catalog starts from it (Gmail polling)', () => {
    const result = planWorkflow('when a new email arrives in Gmail, classify it with AI', defaultRegistry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['gmail.new_message', 'ai.complete']);
    expect(result.unplaced).toEqual([]);
  });

  it('puts the steps after "for each" in the loop body and goes on after it', () => {
    const result = planWorkflow('every day at 6 fetch the list of orders from the API. for each order, summarise it with AI. post the result to Slack #ops', defaultRegistry);
    const loop = result.graph.nodes.find((n) => n.type === 'core.loop')!;
    const ai = result.graph.nodes.find((n) => n.type === 'ai.complete')!;
    const slack = result.graph.nodes.find((n) => n.type === 'slack.post_message')!;
    expect(result.graph.edges.find((e) => e.source === loop.id && e.target === ai.id)?.sourceHandle).toBe('item');
    expect(ai.config.prompt).toContain('{{ $item }}');
    expect(result.graph.edges.find((e) => e.source === loop.id && e.target === slack.id)?.sourceHandle).toBe('done');
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it('respects the schedule floor', () => {
    const result = planWorkflow('every minute check the status API', defaultRegistry, { minScheduleSeconds: 300 });
    expect(result.graph.nodes[0]!.config.cron).toBe('0 * * * *');
    expect(validateGraph(result.graph, defaultRegistry, { minScheduleSeconds: 300 }).ok).toBe(true);
  });

  it('reads "when I click", "on demand" and "by hand" as a manual start, and "no manual intervention" as nothing', () => {
    for (const text of ['when I click the button, fetch the orders API and post them to Slack #sales', 'run it on demand: summarise the new tickets with AI', 'I start it by hand whenever a new file needs a summary']) {
      expect(readDescription(text).trigger.class, text).toBe('manual');
    }
    const clicked = planWorkflow('when I click the button, fetch the orders API and post them to Slack #sales', defaultRegistry);
    expect(clicked.graph.nodes.map((n) => n.type)).toEqual(['core.manual', 'core.http', 'slack.post_message']);
    expect(clicked.explanation[0]!.text).toMatch(/by hand, because the description says "when I click"/i);
    expect(readDescription('converts each new PDF into HTML without any manual intervention').trigger.class).not.toBe('manual');
    expect(readDescription('saves you from manually copying data whenever a new row is added to the sheet').trigger.class).toBe('app-event');
  });

  it('reads schedules in plain words before anything else: every Monday, daily, weekdays', () => {
    expect(readDescription('every Monday at 8 send the open tickets to Slack #support').trigger).toMatchObject({ class: 'schedule', cron: { cron: '0 8 * * 1' } });
    expect(readDescription('daily, collect new emails and summarise them with AI').trigger).toMatchObject({ class: 'schedule', cron: { cron: '0 9 * * *' } });
    expect(planWorkflow('every weekday at 7:30am post the agenda to Slack #team', defaultRegistry).graph.nodes[0]).toMatchObject({ type: 'core.schedule', config: { cron: '30 7 * * 1-5' } });
  });

  it('a form or webhook wording starts from the webhook; a named form app is said in the stand-in note', () => {
    expect(readDescription('when a form is submitted, add it to Notion').trigger.class).toBe('webhook');
    // A form of an app with a trigger of its own starts from it; with none, a webhook stands in and says so.
    const webflow = planWorkflow('This workflow creates Slack channels for your Webflow forms then sends form submissions to those channels.', defaultRegistry);
    expect(webflow.graph.nodes[0]!.type).toBe('webflow.form_submission');
    const discord = planWorkflow('A Discord bot that answers questions with AI', defaultRegistry);
    expect(discord.graph.nodes[0]!.type).toBe('core.webhook');
    expect(discord.unplaced[0]).toMatch(/^A Discord trigger \("discord bot"\): the catalog has none, so a webhook stands in/);
    // A form with no app is Keyflow's hosted form.
    expect(planWorkflow('This workflow creates an image with AI based on a form input.', defaultRegistry).graph.nodes[0]!.type).toBe('core.form');
  });

  it('an app event finds its app\'s trigger by name, a source without an app by the trigger\'s keywords, and a bot answers in its app', () => {
    const first = (text: string) => planWorkflow(text, defaultRegistry).graph.nodes[0]!.type;
    expect(first('Captures positive feedback from Typeform and adds it to Notion')).toBe('typeform.response');
    const guests = planWorkflow('This workflow allows you to add each meeting guest into Google Sheets, adding one row for each guest.', defaultRegistry).graph;
    expect(guests.nodes[0]!.type).toBe('calcom.booking');
    // The loop goes over the booking's attendees: the trigger's own list.
    expect(guests.nodes.find((n) => n.type === 'core.loop')!.config.items).toBe(`{{ $node["${guests.nodes[0]!.id}"].output.attendees }}`);
    expect(first('Integrates Notion with Pinecone, allowing Notion pages to be converted into embeddings')).toBe('notion.page_added');
    expect(first('Automates uploading media from Google Drive directly to Instagram')).toBe('drive.new_file');
    expect(first('Whenever a document is updated in Google Drive, notify the team in Slack')).toBe('drive.file_updated');
    // An app that is only where data is read from, with no event, is read on a schedule.
    expect(first('Splits documents into chunks and stores their embeddings, with Notion serving as the document source.')).toBe('core.schedule');
    const bot = planWorkflow('An advanced Telegram bot leveraging OpenAI for conversational AI responses.', defaultRegistry);
    expect(bot.graph.nodes.map((n) => n.type)).toEqual(['telegram.message', 'ai.complete', 'telegram.send_message']);
    const send = bot.graph.nodes[2]!;
    expect(send.config).toMatchObject({ chatId: '{{ $trigger.body.message.chat.id }}', text: `{{ $node["${bot.graph.nodes[1]!.id}"].output.text }}` });
    expect(bot.graph.edges.some((e) => e.source === bot.graph.nodes[1]!.id && e.target === send.id)).toBe(true);
    // Elsewhere a Telegram message goes to a chat the user picks, not to the trigger's.
    const alert = planWorkflow('Every morning, check the wallet balance over HTTP and send a Telegram message', defaultRegistry);
    const tg = alert.graph.nodes.find((n) => n.type === 'telegram.send_message')!;
    expect(String(tg.config.chatId)).toContain('pick the chat');
  });

  it('an event names its own source before an app merely mentioned in its sentence (a chat, not Google Drive)', () => {
    const trigger = readDescription('This workflow fetches a PDF from Google Drive, embeds it, and enables chat interactions with the document content.').trigger;
    expect(trigger).toMatchObject({ class: 'app-event', serviceName: 'chat' });
    expect(trigger.service).toBeUndefined();
    expect(readDescription('An advanced Telegram bot leveraging OpenAI for conversational AI').trigger).toMatchObject({ class: 'app-event', serviceName: 'telegram' });
    const chat = planWorkflow('A chat interface that answers questions about the handbook with AI', defaultRegistry);
    expect(chat.graph.nodes[0]!.type).toBe('core.chat');
    expect(chat.unplaced).toEqual([]);
  });

  it('emails received start from the Gmail trigger; "will then be uploaded to Drive" is where files go, not the event', () => {
    const text = 'This workflow reads PDF content and sends the text to OpenAI. Attachments of interest will then be uploaded to a Google Drive folder. For example, send invoices received from an email to a folder in Google Drive.';
    expect(readDescription(text).trigger).toMatchObject({ class: 'app-event', service: 'gmail' });
    const result = planWorkflow(text, defaultRegistry);
    expect(result.graph.nodes[0]!.type).toBe('gmail.new_message');
    expect(result.graph.nodes.some((n) => n.type.startsWith('drive.'))).toBe(true);
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it('a Drive trigger whose data is the file’s metadata is followed by the download (the file the event names)', () => {
    const result = planWorkflow('Monitors Google Drive for new documents, summarizes their content using AI, and saves these summaries into a Google Sheet.', defaultRegistry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['drive.new_file', 'drive.download', 'ai.complete', 'sheets.append_rows']);
    expect(result.unplaced).toEqual([]);
    const download = result.graph.nodes[1]!;
    expect(download.config.fileId).toBe('{{ $trigger.id }}');
    // The AI reads the downloaded file; "these summaries" is what it made, not a second AI step.
    expect(result.graph.nodes[2]!.config.prompt).toContain(`$node["${download.id}"].output`);
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it.each([
    ['triggered whenever a new PDF is uploaded to a specific Google Drive folder, extract the text with AI and post it to Slack', 'drive.new_file'],
    ['When a page is added to a Notion database, convert it into embeddings with OpenAI', 'notion.page_added'],
    ['Whenever a Notion page is updated, post a summary to Slack', 'notion.page_updated'],
  ])('the app’s polling trigger starts %j', (text, type) => {
    const result = planWorkflow(text, defaultRegistry);
    expect(result.graph.nodes[0]!.type).toBe(type);
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it('a stand-in for an app of ours with no trigger is still followed by its reading action', () => {
    const registry = createNodeRegistry(defaultRegistry.list().filter((d) => !['drive.new_file', 'drive.file_updated'].includes(d.type)));
    const result = planWorkflow('Monitors Google Drive for new documents, summarizes their content using AI, and saves these summaries into a Google Sheet.', registry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['core.webhook', 'drive.download', 'ai.complete', 'sheets.append_rows']);
    expect(result.unplaced).toEqual([expect.stringMatching(/^A Google Drive trigger \("new documents"\)/)]);
    expect(result.graph.nodes[1]!.config.fileId).toBe('{{ $trigger.body.fileId ?? "pick the file" }}');
  });

  it('fills a Sheets append it can: the rows as one row of the data, the range from its schema\'s example', () => {
    const result = planWorkflow('when a form is posted to my webhook, summarise it with AI and log it to Google Sheets', defaultRegistry);
    const sheet = result.graph.nodes.find((n) => n.type === 'sheets.append_rows')!;
    expect(sheet.config).toMatchObject({ range: 'Sheet1!A1:D', rows: '{{ [[$node["ai"].output.text]] }}' });
    expect(result.explanation.find((e) => e.nodeId === sheet.id)!.text).toMatch(/pick its spreadsheetId/);
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it('reads data taken "from" an app there, first, and loops over that list; "from Slack" with no data reads nothing', () => {
    const result = planWorkflow('AI writes personalized cold emails from a Google Sheets lead list. Generates subject lines tailored to each prospect.', defaultRegistry);
    const types = result.graph.nodes.map((n) => n.type);
    expect(types.slice(0, 3)).toEqual(['core.manual', 'sheets.read_range', 'ai.complete']);
    expect(result.graph.nodes.find((n) => n.type === 'core.loop')!.config.items).toBe('{{ $node["sheets_read_range"].output.values }}');
    expect(planWorkflow('a Slack shortcut lets users start scans directly from Slack', defaultRegistry).graph.nodes.map((n) => n.type)).not.toContain('slack.find_user');
    // An app's write answers no list: a loop after it iterates the run's data.
    const appended = planWorkflow('when I click run, add each meeting guest into Google Sheets, adding one row for each guest and then adding them to the newsletter', defaultRegistry);
    expect(appended.graph.nodes.find((n) => n.type === 'core.loop')!.config.items).toBe('{{ $trigger.items }}');
  });

  it('a required field the description cannot fill is marked for the user to pick and said so (a calendar event\'s times)', () => {
    const result = planWorkflow('when a new email arrives in Gmail, create a calendar event for the call', defaultRegistry);
    const event = result.graph.nodes.find((n) => n.type === 'calendar.create_event')!;
    expect(event.config.start).toMatch(/\?\? "pick the start" \}\}$/);
    expect(result.explanation.find((e) => e.nodeId === event.id)!.text).toMatch(/pick its start and end/);
  });

  it('"filter all messages" with no event is a scheduled sweep', () => {
    expect(readDescription('Using the Slack node we filter all top level messages marked with the calendar emoji').trigger).toMatchObject({ class: 'schedule', pull: true });
  });

  it('reads events said in the first person or as "on a new …", and the source named right after the event', () => {
    expect(readDescription('Whenever I receive an email with an invoice attached, save the attachment to Google Drive').trigger).toMatchObject({ class: 'app-event', service: 'gmail' });
    expect(readDescription('On a new Stripe payment, add a row to Google Sheets').trigger).toMatchObject({ class: 'app-event', serviceName: 'stripe' });
    // "through the contact form" names the source, not Notion later in the sentence.
    expect(readDescription('When a new lead comes in through the contact form, score it with AI and add it to Notion').trigger).toMatchObject({ class: 'app-event', serviceName: 'form' });
  });

  it('an app the text sends to is a destination, not the event\'s source', () => {
    const lead = planWorkflow('When a new lead is added, send it to Slack #sales', defaultRegistry);
    expect(lead.graph.nodes.map((n) => n.type)).toEqual(['core.webhook', 'slack.post_message']);
    expect(lead.unplaced).toEqual([expect.stringMatching(/^A trigger for this event/)]);
    expect(planWorkflow('Whenever a new order comes in, create a Trello card and notify #ops', defaultRegistry).graph.nodes[0]!.type).toBe('core.webhook');
    // A bot answering "from Slack users" still comes from Slack.
    expect(readDescription('A bot that answers questions from Slack users with GPT').trigger).toMatchObject({ class: 'app-event', service: 'slack' });
  });

  it('an AI product named in a delivery ("email me a summary of …") is made first, from what the clause reads', () => {
    const result = planWorkflow("Every Monday morning, email me a summary of last week's Asana tasks", defaultRegistry);
    expect(result.graph.nodes.map((n) => n.type)).toEqual(['core.schedule', 'asana.find_tasks', 'ai.complete', 'gmail.send']);
    const send = result.graph.nodes[3]!;
    expect(send.config).toMatchObject({ text: '{{ $node["ai"].output.text }}' });
    expect(result.explanation.find((e) => e.nodeId === send.id)!.text).toMatch(/pick its to/);
    expect(validateGraph(result.graph, defaultRegistry).ok).toBe(true);
  });

  it('alerts to a #channel go to Slack; a tie goes to the node whose own keywords the clause uses', () => {
    expect(planWorkflow('Receive orders via webhook, check if the total is over 500 and alert #ops', defaultRegistry).graph.nodes.map((n) => n.type)).toEqual(['core.webhook', 'core.condition', 'slack.post_message']);
    const types = planWorkflow('Run daily: list unread Gmail messages and summarise them with AI into Slack', defaultRegistry).graph.nodes.map((n) => n.type);
    expect(types).toEqual(['core.schedule', 'gmail.list_messages', 'ai.complete', 'slack.post_message']);
  });

  it('layout puts a node one column right of its furthest parent', () => {
    const g = layoutLeftToRight({
      nodes: ['a', 'b', 'c'].map((id) => ({ id, type: 'core.manual', version: 1, config: {}, position: { x: 9, y: 9 } })),
      edges: [{ id: 'e1', source: 'a', target: 'b' }, { id: 'e2', source: 'b', target: 'c' }, { id: 'e3', source: 'a', target: 'c' }],
    });
    expect(g.nodes.map((n) => n.position.x)).toEqual([0, 280, 560]);
  });
});
