// Reads a plain-English description into intents: the trigger, then the steps in the order the
// text states them (conditions, loops, integrations, AI, HTTP…). Word rules only, no model: the
// same sentence always gives the same plan, and nothing is sent anywhere.
import { cronFromPhrase, type CronPhrase } from './cron-phrase.ts';
import type { Kind, TriggerClass } from './kinds.ts';

export interface TriggerIntent {
  class: TriggerClass;
  /** The words that decided it ('' for the manual default). */
  phrase: string;
  cron?: CronPhrase;
  /** For an app event: the integration kind it comes from, when one is named. */
  service?: Kind;
  /** For an app event: the service's name as written, when it has no kind of ours. */
  serviceName?: string;
  /** A schedule read from pulling words ("fetches", "monitors"): they also state a step, so they stay in the text. */
  pull?: boolean;
  /** For an app event: the sentence that states it (which of an app's triggers it names). */
  sentence?: string;
}

export type StepIntent =
  | { op: 'action'; kind: Kind | 'respond'; clause: string; words: string; service?: string; said?: string; sentence?: number }
  | { op: 'condition'; clause: string; words: string; also: boolean; test: ConditionTest; said?: string; sentence?: number }
  | { op: 'loop'; clause: string; words: string; said?: string; sentence?: number }
  | { op: 'unplaced'; clause: string; words: string; reason: string; said?: string; sentence?: number };

export type ConditionTest =
  | { type: 'compare'; field: string; operator: '>' | '<' | '>=' | '<='; value: number }
  | { type: 'mentions'; text: string }
  | { type: 'open' };

export interface DescriptionReading {
  trigger: TriggerIntent;
  steps: StepIntent[];
}

/** Integrations the vocabulary scores, by the words that name them. */
const SERVICES: { kind: Kind; name: string; re: RegExp }[] = [
  { kind: 'slack', name: 'Slack', re: /\bslack\b|\b(post|send|share|notify|alert|message)\w*\b[\w\s]{0,30}(?<![\w])#[a-z0-9._-]+/ },
  { kind: 'notion', name: 'Notion', re: /\bnotion\b/ },
  { kind: 'trello', name: 'Trello', re: /\btrello\b/ },
  { kind: 'asana', name: 'Asana', re: /\basana\b/ },
  { kind: 'gmail', name: 'Gmail', re: /\bgmail\b|\binbox\b|\b(incoming|suspicious|unread|new|received) e-?mails?\b|\be-?mails? (arrive|arrives|received)\b|\b(received|arriv(e|es|ing)) (from|in|via|by) (an? |the |my |your |our )?e-?mails?\b|\b(receive|get)s? (an? |new |any )?e-?mails?\b|\be-?mail (it|me|us|the team|them)\b/ },
  { kind: 'google_calendar', name: 'Google Calendar', re: /\bgoogle calendar\b|\bcalendar (event|invite)s?\b|\bcalendar\b/ },
  { kind: 'google_drive', name: 'Google Drive', re: /\bgoogle drive\b|\bgdrive\b|\bdrive folder\b/ },
];

/** Well-known apps with no node of ours: named so the user knows what is left to wire. */
const OTHER_APPS = ['google sheets', 'airtable', 'telegram', 'discord', 'whatsapp', 'hubspot', 'salesforce', 'jira', 'github', 'gitlab', 'linear', 'clickup', 'zoom', 'wordpress', 'shopify', 'stripe', 'twilio', 'mongodb', 'postgresql', 'postgres', 'mysql', 'supabase', 'pinecone', 'typeform', 'webflow', 'linkedin', 'twitter', 'instagram', 'tiktok', 'youtube', 'microsoft teams', 'outlook', 'dropbox', 'onedrive', 'mailchimp', 'google analytics', 'google forms', 'cal.com', 'calendly'];

/** An app's name as a whole word, also in the singular ("a Google Sheet" for google sheets). */
const appReCache = new Map<string, RegExp>();
function appRe(name: string): RegExp {
  let re = appReCache.get(name);
  const word = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!re) appReCache.set(name, (re = new RegExp(`\\b${name.endsWith('s') ? `${word.slice(0, -1)}s?` : word}\\b`)));
  return re;
}

const AI_RE = /\b(ai|a\.i\.|gpt[-\w.]*|chatgpt|openai|claude|anthropic|llms?|gemini|llama[\w.]*|ollama|mistral|language model|vision (language )?model|langchain|summari[sz](e|es|ed|ing)|summar(y|ies)|classif(y|ies|ied|ication)|sentiment|translat(e|es|ed|ion|ions)|embed(s|ding|dings)?|chatbot|ai agent|agent)\b/;
const HTTP_RE = /\b(https?|apis?|rest|endpoint|urls?|post request|get request|http request|scrap(e|es|ing)|web search|sitemap|rss|enrich(es|ment|ing)?)\b|\.xml\b/;
const FETCH_RE = /\b(fetch(es|ing)?|download(s|ing)?|retriev(e|es|al)|quer(y|ies)|calls?|submit(s|ting)? (a|an|the) [\w-]+( [\w-]+)? (task|job|request)|poll(s|ing)? (its|the|their) [\w\s]{0,20}status)\b/;
const TRANSFORM_RE = /\b(format(s|ted|ting)?|extract(s|ed|ing)? (the |relevant |key )?(fields?|data|information|details|content)|pars(e|es|ing) (it |them )?into|structured (format|data|content)|reshap(e|es)|aggregat(e|es)|compil(e|es|ing)|split(s|ting)? (it |them )?into|convert(s|ing)? (it |them )?(in)?to)\b/;
const DELAY_RE = /\b(wait(s|ing)?|delay(s|ed)?|poll(s|ing)?|pause(s)?|(\d+) (seconds|minutes|hours|days) later)\b/;
const LOOP_RE = /\bfor (each|every)\b|\bone (row|item|message|task|card|page) (for|per) (each|every)\b|\b(each|every) (of the )?(row|item|record|lead|guest|entry|file|email|message|post|comment|repo|report|prospect|customer|contact)s?\b|\bin batches\b|\bone by one\b/;
const CONDITION_RE = /\b(if|only if|only when|unless|whether|in case|otherwise)\b|\bfilter(s|ed|ing)?\b|\bbased on\b|\bdepending on\b|\brout(e|es|ing)\b|\bvalidat(e|es|ing)\b|\b(paths|branch|branches)\b|\bsort(s|ed)?\b|\bcategori[sz](e|es)\b|\bof interest\b|\b(high|low)[- ](scoring|priority|value|risk)\b|\b(in|from|within|over) the (last|past) \d+ (hours|days|weeks)\b/;
/** Pulling data on its own, with no event named: such a workflow runs on a schedule. */
const PULL_RE = /\bfilter(s|ing)? (all|every)\b|\b(digest|feeds?|advisor(y|ies)|fetch(es|ing)|retrieves|tracks|detect(s|ing)? ([\w-]+ )?changes|watch(es)? for changes|checks? (for|whether)|pulls|monitor(s|ing)?|reports (from|on|of)|data reports|etl|(in|from|over) the (last|past) \d+ (hours|days|weeks)|(serving|acting|used) as (the|its|a) ([\w-]+ )?source)\b/;
const RESPOND_RE = /\b(respond(s)?|repl(y|ies) to the (caller|request)|returns? (the )?(result|answer|response|content)|returns? .{0,30}via (the )?api)\b/;

const WEBHOOK_RE = /\bwebhooks?\b|\bslack (shortcut|slash command)s?\b|\b(chrome|browser) extension\b|\bhttp post\b|\bapi endpoint\b|\bendpoint\b|\bslash commands?\b|\bform is (posted|submitted)\b|\bposted to (my|our|a|the) \w+/;
const SCHEDULE_RE = /\b(every|each) (\d+ )?(minute|hour|day|morning|evening|night|week|weekday|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b(daily|hourly|weekly|monthly|nightly)\b|\bscheduled?\b|\bcron\b|\bon a schedule\b|\bmorning (digest|report|summary)\b|\bruns every\b/;
const APP_EVENT_RE = /\bwhen(ever)? (a |an |the |someone |somebody )?(new )?[\w-]+( [\w-]+)? (is|are|gets?) (received|uploaded|created|added|submitted|posted|sent|updated|moved|mentioned)\b|\bwhen (someone|somebody|a user|a customer) (posts|sends|submits|mentions|uploads|adds|fills)\b|\bnew (e-?mail|message|file|document|pdf|row|issue|card|page|submission|lead|order|comment|ticket)s?\b|\btriggered (whenever|when|by|on)\b|\bincoming\b|\bchat (interface|message|interactions?)\b|\bconversational\b|\bchatbot\b|\b(captures?|receives?) [\w\s-]{0,30}\bfrom\b|\bsubmissions\b|\b(classif(y|ies)|analy[sz]es|sorts?|labels?) [\w\s-]{0,20}\be-?mails\b|\b\w+ bot\b|\bform (input|submissions?|entries)\b|\bvia (an? )?(n8n )?form\b|(?<!\b(will|then|to|and) (then )?be )\buploaded\b|\b(received|arriv(e|es|ing)) (from|in|via|by) (an? |the |my |your |our )?e-?mails?\b|\be-?mails? (arrive|arrives|received)\b|\bon (a|an|every|each) new\b|\bwhen(ever)? (i|we|you) (receive|get)\b|\b(process(es|ing)?|handl(es|ing)|manag(es|ing)|answer(s|ing)?|respond(s|ing)? to|repl(y|ies|ying) to) [\w\s-]{0,30}\b(messages|chats|dms|conversations|comments|questions)\b|\bin [\w-]+ (chats|conversations|dms|groups)\b|\b(agent|assistant|chatbot|bot) (that|which|to) (answers|provides|helps|recommends|responds|replies|chats)\b|\bintegrates [\w.-]+( [\w.-]+)? with\b|\bautomat(es|ing) (the )?(upload|post|publish|mov|sync|transferr|import|forward)ing [\w\s-]{0,30}?\bfrom\b|\b(each|every|new) (meeting|booking|appointment) (guest|attendee|invitee)s?\b|\bnew (bookings?|appointments?)\b/;

function first(re: RegExp, text: string): RegExpExecArray | null {
  return re.exec(text);
}

/** A clause of the description: its lower-case text and where it starts in the normalised text. */
export interface Clause {
  text: string;
  start: number;
  /** Which sentence it belongs to (a loop's body is the rest of its sentence). */
  sentence: number;
}

const BOUNDARY = /(?<=[.!?])\s+|;\s*|,\s+(?:and\s+)?|\s+and then\s+|\s+then\s+/g;

/** The clauses of a description, in order: sentences, then commas, "; ", " then ". */
export function splitClauses(text: string): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  let sentence = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim().replace(/[.!?]+$/, '');
    if (body.length > 0) {
      const prev = out.at(-1);
      // "if it mentions a budget over 10k, also create a card": the action stays with its "if".
      if (prev && /^(also|then)\b/.test(body) && /\b(if|unless|when)\b/.test(prev.text)) prev.text = text.slice(prev.start, start + lead + body.length);
      else out.push({ text: body, start: start + lead, sentence });
    }
  };
  for (const m of text.matchAll(BOUNDARY)) {
    push(m.index);
    if (/[.!?]$/.test(text.slice(0, m.index))) sentence += 1;
    start = m.index + m[0].length;
  }
  push(text.length);
  return out;
}

/** Starting by hand, said outright ("when I click", "on demand"); "no manual intervention" is not it. */
const MANUAL_RE = /\bwhen(ever)? i (click|press|run|start|hit)\b|\bclick(s|ing)? (a|the|on a|on the) (button|run)\b|\bon demand\b|\bby hand\b|\b(run|start|trigger)(s|ed)? (it |this |the workflow )?(manually|myself|by hand)\b|\bmanual(ly)? (trigger|run|start)(ed|s)?\b|\bmanually\b(?! (intervention|work|effort|steps|entry|copying|data))/;

/**
 * Event sources with no app name: a chat window, a form, a bot of some messenger. Named in the
 * event's own words, they beat an app merely mentioned in the same sentence ("fetches a PDF from
 * Google Drive … enables chat interactions" is a chat, not a Drive event).
 */
const SOURCE_WORDS: { name: string; re: RegExp }[] = [
  { name: 'chat', re: /\bchat|\bconversational\b|\bchatbot\b|\b(agent|assistant) (that|which|to)\b/ },
  { name: 'form', re: /\bforms?\b|\bsubmissions?\b/ },
  { name: 'booking', re: /\b(meeting|booking|appointment)s? (guests?|attendees?|invitees?)\b|\b(bookings?|appointments?|booked)\b/ },
];

/** The app an event phrase itself names ("new email", "telegram bot"), or a named source (chat, form). */
function sourceOf(phrase: string): { service?: Kind; serviceName: string } | undefined {
  return firstApp(phrase) ?? sourceWord(phrase);
}

function sourceWord(text: string): { serviceName: string } | undefined {
  const source = SOURCE_WORDS.find((w) => w.re.test(text));
  return source ? { serviceName: source.name } : undefined;
}

/** The app named first in `text`: one of ours (Slack, Gmail…) or a well-known other. */
function firstApp(text: string): { service?: Kind; serviceName: string } | undefined {
  const known = SERVICES.map((s) => ({ s, i: text.search(s.re) })).filter((x) => x.i >= 0).sort((a, b) => a.i - b.i)[0];
  const other = OTHER_APPS.map((name) => ({ name, i: text.search(appRe(name)) })).filter((x) => x.i >= 0).sort((a, b) => a.i - b.i)[0];
  if (known && (!other || known.i <= other.i)) return { service: known.s.kind, serviceName: known.s.name };
  return other ? { serviceName: other.name } : undefined;
}

/** Words that send or write something to an app: the app they name is where data goes, not where the event comes from. */
const DELIVERS = /\b(send|sends|sending|post|posts|posting|create|creates|creating|add|adds|adding|notify|notifies|save|saves|saving|store|stores|storing|log|logs|upload|uploads|update|updates|write|writes|share|shares|forward|forwards|alert|alerts|e-?mail (it|them|me|us))\b/;

/** The first app named in a part of `text` that delivers nothing ("send it to Slack" names a destination). */
function sourceApp(text: string): { service?: Kind; serviceName: string } | undefined {
  for (const part of text.split(/[,;.!?]\s*|\s+(?:and|then)\s+/)) {
    if (DELIVERS.test(part)) continue;
    const app = firstApp(part);
    if (app) return app;
  }
  return undefined;
}

/** A form or chat whose app the text names right before it ("your Webflow forms", "Telegram chats"). */
function namedSource<T extends { service?: Kind; serviceName: string }>(source: T, text: string, phrase: string): T | { serviceName: string } {
  if (source.service || !SOURCE_WORDS.some((w) => w.name === source.serviceName)) return source;
  const sentence = text.split(/(?<=[.!?])\s+/).find((s) => s.includes(phrase)) ?? text;
  for (const name of OTHER_APPS) {
    if (new RegExp(`${appRe(name).source} (${source.serviceName}s?|chatbots?|bots?)\\b`).test(sentence)) return { serviceName: `${name} ${source.serviceName}` };
  }
  return source;
}

function namedSourceIn(sentence: string, text: string, phrase: string): { serviceName: string } | undefined {
  const word = sourceWord(sentence);
  return word ? namedSource(word, text, phrase) : undefined;
}

function readTrigger(text: string): TriggerIntent {
  const webhook = first(WEBHOOK_RE, text);
  if (webhook) return { class: 'webhook', phrase: webhook[0] };
  const schedule = first(SCHEDULE_RE, text);
  const cron = cronFromPhrase(text);
  if (schedule || cron) return { class: 'schedule', phrase: cron?.matched ?? schedule![0], ...(cron ? { cron } : {}) };
  const manual = first(MANUAL_RE, text);
  if (manual) return { class: 'manual', phrase: manual[0] };
  const app = first(APP_EVENT_RE, text);
  const pull = app ? null : first(PULL_RE, text);
  if (pull) return { class: 'schedule', phrase: pull[0], pull: true };
  if (app) {
    const sentence = text.split(/(?<=[.!?])\s+/).find((s) => s.includes(app[0])) ?? text;
    const own = sourceOf(app[0]);
    if (own) return { class: 'app-event', phrase: app[0], sentence, ...namedSource(own, text, app[0]) };
    // Then what the words right after it name ("comes in through the contact form", "is added to Google Sheets").
    const after = sourceOf(text.slice(app.index + app[0].length).split(/[,;.!?]/)[0]!.slice(0, 80));
    if (after) return { class: 'app-event', phrase: app[0], sentence, ...namedSource(after, text, app[0]) };
    // Else the app the event comes from: the first one named in its sentence, or a form or chat
    // it names, or failing both the first app of the whole description.
    const found = sourceApp(sentence) ?? namedSourceIn(sentence, text, app[0]) ?? sourceApp(text);
    return { class: 'app-event', phrase: app[0], sentence, ...found };
  }
  return { class: 'manual', phrase: '' };
}

function parseAmount(num: string, unit: string | undefined): number {
  const n = Number(num.replaceAll(',', ''));
  const u = (unit ?? '').toLowerCase();
  if (u === 'k' || u === 'thousand') return n * 1_000;
  if (u === 'm' || u === 'million') return n * 1_000_000;
  return n;
}

function readCondition(clause: string): ConditionTest {
  const cmp = /\b(?:a |an |the )?([a-z][a-z_]{1,40})\s+(?:is\s+|of\s+)?(over|above|more than|greater than|exceeds?|at least|under|below|less than|at most)\s+\$?([\d,]+(?:\.\d+)?)\s*(k|m|thousand|million)?\b/.exec(clause);
  if (cmp) {
    const ops: Record<string, '>' | '<' | '>=' | '<='> = { over: '>', above: '>', 'more than': '>', 'greater than': '>', exceed: '>', exceeds: '>', 'at least': '>=', under: '<', below: '<', 'less than': '<', 'at most': '<=' };
    return { type: 'compare', field: cmp[1]!, operator: ops[cmp[2]!] ?? '>', value: parseAmount(cmp[3]!, cmp[4]) };
  }
  const mentions = /\b(?:mentions|contains|includes|says)\s+(?:the word\s+)?["“']?([\w -]{2,40}?)["”']?(?=$|,|\s+(?:also|then|and)\b)/.exec(clause);
  if (mentions) return { type: 'mentions', text: mentions[1]!.trim() };
  return { type: 'open' };
}

interface Hit {
  at: number;
  step: StepIntent;
}

const FROM_BEFORE = /\b(from|of) (a |an |the |my |your |our |their |all |new |unread |recent |today's |yesterday's |last [\w-]+'s )*$/;
/** An AI step named by its product ("email me a summary of …"): made before it is delivered. */
const AI_NOUN = /^(summar(y|ies)|translations?|classifications?|digest)$/;

/** The steps one clause states, ordered by where their words stand. */
function readClause(clause: string, skip: Set<string>): StepIntent[] {
  const hits: Hit[] = [];
  const add = (re: RegExp, make: (m: RegExpExecArray) => StepIntent | undefined) => {
    const m = re.exec(clause);
    if (!m) return;
    const step = make(m);
    if (step) hits.push({ at: m.index, step });
  };
  add(CONDITION_RE, (m) => ({ op: 'condition', clause, words: m[0], also: /\balso\b/.test(clause), test: readCondition(clause) }));
  add(LOOP_RE, (m) => ({ op: 'loop', clause, words: m[0] }));
  add(DELAY_RE, (m) => ({ op: 'action', kind: 'delay', clause, words: m[0] }));
  add(AI_RE, (m) => ({ op: 'action', kind: 'ai', clause, words: m[0] }));
  add(TRANSFORM_RE, (m) => ({ op: 'action', kind: 'transform', clause, words: m[0] }));
  const services: Hit[] = [];
  for (const s of SERVICES) {
    if (skip.has(s.kind)) continue;
    const m = s.re.exec(clause);
    if (m) services.push({ at: m.index, step: { op: 'action', kind: s.kind, clause, words: m[0], service: s.name } });
  }
  const others: Hit[] = [];
  for (const name of OTHER_APPS) {
    if (skip.has(name)) continue;
    const i = clause.search(appRe(name));
    if (i >= 0 && !others.some((o) => o.step.words.includes(name))) others.push({ at: i, step: { op: 'action', kind: 'http', clause, words: name, service: name.replace(/\b[a-z]/g, (c) => c.toUpperCase()) } });
  }
  // What the clause takes "from" an app is read first ("AI writes emails from a Google Sheets lead list").
  for (const h of [...services, ...others]) if (FROM_BEFORE.test(clause.slice(0, h.at))) h.at = -1;
  const firstApp = Math.min(...[...services, ...others].filter((h) => h.at >= 0).map((h) => h.at));
  for (const h of hits) if (h.step.op === 'action' && h.step.kind === 'ai' && AI_NOUN.test(h.step.words) && h.at > firstApp) h.at = firstApp - 0.5;
  hits.push(...services, ...others);
  // HTTP: said outright, or a fetch/download/query that no named app explains.
  const http = HTTP_RE.exec(clause) ?? (services.length === 0 && others.length === 0 ? FETCH_RE.exec(clause) : null);
  if (http && !/\bapi key\b/.test(clause)) hits.push({ at: http.index, step: { op: 'action', kind: 'http', clause, words: http[0] } });
  add(RESPOND_RE, (m) => ({ op: 'action', kind: 'respond', clause, words: m[0] }));
  return hits.sort((a, b) => a.at - b.at).map((h) => h.step);
}

/** Words written with capitals that name no app: languages, formats, models, our own vocabulary. */
const NOT_APPS = new Set(['ai', 'api', 'apis', 'pdf', 'pdfs', 'html', 'json', 'csv', 'xml', 'url', 'urls', 'http', 'https', 'sla', 'llm', 'gpt', 'chatgpt', 'openai', 'claude', 'anthropic', 'gemini', 'llama', 'ollama', 'mistral', 'langchain', 'n8n', 'keyflow', 'english', 'french', 'korean', 'spanish', 'german', 'italian', 'chinese', 'japanese', 'i', 'usdt', 'tron', 'webhook', 'webhooks', 'vision', 'language', 'model', 'google', 'microsoft', 'cloud', 'natural', 'etl', 'ui', 'seo', 'crm', 'sms', 'faq', 'ceo', 'it', 'ok', 'gpt-4', 'gpt-4o', 'gpt-4o-mini', 'done', 'doing', 'todo', 'backlog', 'review']);

/** Names of apps the text spells with capitals ("Elevenlabs.io", "VirusTotal"), none of ours or the known ones. */
function unknownApps(said: string, known: RegExp[]): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (const m of said.matchAll(/\b(?:using|via|with|on|to|into|from|through) ([A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)\b/g)) {
    const name = m[1]!;
    const lower = name.toLowerCase();
    if (NOT_APPS.has(lower) || known.some((re) => re.test(lower))) continue;
    out.push({ name, at: m.index });
  }
  for (const m of said.matchAll(/(?<=\S\s+)([A-Z][A-Za-z0-9]*(?:[A-Z][A-Za-z0-9]*|\.(?:io|com|ai|dev|app))+|[A-Z][a-z0-9]+(?:\.(?:io|com|ai|dev|app)))\b|(?<=\S\s+)([A-Z]{3,}|[A-Z][a-z]+)(?=\s+(?:API|api|user|users|account|webhook|bot|messaging|logs?|feed|service|model)\b)/g)) {
    const name = m[0];
    const lower = name.toLowerCase();
    if (NOT_APPS.has(lower) || known.some((re) => re.test(lower))) continue;
    out.push({ name, at: m.index });
  }
  return out;
}

/** Reads a description; the caller bounds its length. `said` on a step is its clause as written. */
export function readDescription(description: string): DescriptionReading {
  const written = description.replace(/\s+/g, ' ').trim();
  const text = written.toLowerCase();
  // Lower-casing keeps offsets for nearly all text; where it does not, quotes use the lower case.
  const shown = written.length === text.length ? written : text;
  const trigger = readTrigger(text);
  const steps: StepIntent[] = [];
  let triggerSpent = false;
  for (const part of splitClauses(text)) {
    let clause = part.text;
    const said = shown.slice(part.start, part.start + part.text.length);
    const skip = new Set<string>();
    // The words that chose the trigger are not a step as well ("receives a webhook" is no HTTP call).
    if (!triggerSpent && trigger.phrase && clause.includes(trigger.phrase)) {
      if (!trigger.pull) clause = clause.replace(trigger.phrase, ' '.repeat(trigger.phrase.length));
      if (trigger.class === 'app-event') {
        if (trigger.service) skip.add(trigger.service);
        if (trigger.serviceName) skip.add(trigger.serviceName);
      }
      triggerSpent = true;
    }
    if (trigger.class === 'webhook') clause = clause.replace(/\b((via|by|through|with|to) (a |the |my |our )?)?webhooks?\b/g, (m) => ' '.repeat(m.length));
    const found = readClause(clause, skip);
    // An app we have no name for, called out in the text, is reached by its API.
    if (!found.some((st) => st.op === 'action' && st.kind === 'http')) {
      const apps = unknownApps(said, [...SERVICES.map((x) => x.re), ...OTHER_APPS.map(appRe)]).filter((a) => !skip.has(a.name.toLowerCase()));
      if (apps.length > 0 && !(trigger.class === 'app-event' && !triggerSpent)) found.push({ op: 'action', kind: 'http', clause, words: apps[0]!.name, service: apps[0]!.name });
    }
    for (const step of found) {
      // "saves these summaries": the AI's product named again, not a second AI step.
      if (step.op === 'action' && step.kind === 'ai' && steps.some((s) => s.op === 'action' && s.kind === 'ai') && new RegExp(`\\b(these|those|the|their|its|this|that) ${step.words}\\b`).test(clause) && /^(summar(y|ies)|translations?|classifications?)$/.test(step.words)) continue;
      // One node per kind per clause: "summarise … with AI" is one AI step, not two.
      // Two apps reached by HTTP in one clause are two calls.
      if (step.op === 'action' && steps.some((s) => s.op === 'action' && s.clause === step.clause && s.kind === step.kind && (s.kind !== 'http' || s.service === step.service))) continue;
      if (step.op !== 'action' && steps.some((s) => s.op === step.op && s.clause === step.clause)) continue;
      steps.push({ ...step, said, sentence: part.sentence });
    }
  }
  return { trigger, steps: steps.slice(0, 20) };
}
