// The deterministic planner: description → reading (read-description.ts) → nodes and edges from
// the catalog, each with a sentence saying why, laid out left to right and validated with the
// API's validator. A node that does not validate is taken out and listed, so the graph is valid.
import type { AnyNodeDefinition, NodeRegistry } from '@keyflow/nodes/contract';
import { scheduleFloorProblem } from '../graph/check-schedule-floor.ts';
import type { Graph, GraphEdge, GraphNode } from '../graph/graph.schema.ts';
import { validateGraph } from '../graph/validate-graph.ts';
import { buildCatalog, scoreEntry, type CatalogEntry } from './catalog.ts';
import { describedNode, fieldsToPick, idsFromTrigger, startingConfig } from './fill-config.ts';
import type { CredentialToPick, GenerateResult, NodeExplanation } from './generate-types.ts';
import { kindOfType, prefixOfKind, type Kind } from './kinds.ts';
import { layoutLeftToRight } from './layout.ts';
import { readDescription, type ConditionTest, type StepIntent, type TriggerIntent } from './read-description.ts';

export interface PlanOptions {
  /** The schedule floor the API enforces (KEYFLOW_MIN_SCHEDULE_SECONDS). */
  minScheduleSeconds?: number;
}

interface Cursor {
  id: string;
  handle: string | null;
}

const CORE_TYPE: Partial<Record<Kind | 'respond', string>> = {
  ai: 'ai.complete',
  http: 'core.http',
  transform: 'core.transform',
  delay: 'core.delay',
  respond: 'core.respond',
};

function quote(words: string): string {
  const w = words.trim();
  return w.length > 90 ? `"${w.slice(0, 87)}…"` : `"${w}"`;
}

/** The expression a step uses for what the previous step produced. */
function refOf(node: GraphNode | undefined, inLoop: boolean): string {
  if (inLoop) return '$item';
  if (!node) return '$trigger';
  if (node.type === 'core.webhook') return '$trigger.body';
  if (node.type === 'core.schedule' || node.type === 'core.manual' || node.config === undefined) return node.type.startsWith('core.') ? '$trigger' : `$node["${node.id}"].output`;
  if (node.type === 'ai.complete') return `$node["${node.id}"].output.text`;
  return `$node["${node.id}"].output`;
}

function aiPrompt(clause: string, ref: string): string {
  const input = `{{ ${ref} }}`;
  if (/summar/.test(clause)) return `Summarise the following in three sentences:\n${input}`;
  if (/classif|categori|sort/.test(clause)) return `Classify the following; answer with one word (the category):\n${input}`;
  if (/translat/.test(clause)) return `Translate the following into English:\n${input}`;
  if (/sentiment/.test(clause)) return `What is the sentiment of the following? Answer positive, neutral or negative:\n${input}`;
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.\n\nInput:\n${input}`;
}

function conditionExpression(test: ConditionTest, trigger: GraphNode, ref: string): string {
  if (test.type === 'compare') {
    const field = test.field.replace(/[^a-z0-9_]/gi, '_');
    // A form's fields come with the webhook's body; other triggers' data is the previous step's.
    const source = trigger.type === 'core.webhook' ? '$trigger.body' : ref;
    return `{{ number(${source}?.${field}) ${test.operator} ${test.value} }}`;
  }
  if (test.type === 'mentions') return `{{ contains(lower(string(${ref})), ${JSON.stringify(test.text.toLowerCase())}) }}`;
  return `{{ ${ref} }}`;
}

function httpConfig(clause: string, ref: string): Record<string, unknown> {
  const writes = /\b(post|send|sends|create|creates|submit|add|adds|upload|uploads|log|logs|store|stores|save|saves|update|updates|notif)/.test(clause);
  return writes ? { method: 'POST', url: 'https://api.example.com/', body: `{{ ${ref} }}` } : { method: 'GET', url: 'https://api.example.com/' };
}

function delayConfig(clause: string): Record<string, unknown> {
  const m = /\b(\d{1,4}) (second|minute|hour|day)s?\b/.exec(clause);
  return m ? { amount: Number(m[1]), unit: `${m[2]}s` } : { amount: 5, unit: 'minutes' };
}

/** The integration action a clause names best (verbs and objects against keywords and titles). */
function bestAction(entries: CatalogEntry[], clause: string, service?: string): CatalogEntry | undefined {
  let best: CatalogEntry | undefined;
  let bestScore = -1;
  // Data taken "from" the app ("from a Google Sheets lead list") is read there, not written.
  // Only data: a list, sheet or folder of the app, or what a pulling verb takes ("trigger actions from Slack" reads nothing).
  const app = service ? `(a |an |the |my |your |our |their )?${service.toLowerCase().replace(/s$/, '')}s?` : undefined;
  const source = app ? new RegExp(`\\b(from|of) ([\\w'-]+ ){0,3}?${app}( [\\w-]+)? (list|lists|sheets?|spreadsheets?|tables?|databases?|folders?|rows?|files?|records?|documents?|tasks|cards|messages|e-?mails|pages|events|issues)\\b|\\b(read|reads|fetch|fetches|pull|pulls|load|loads|import|imports|get|gets)\\b.{0,40}\\bfrom ${app}\\b`).test(clause) : false;
  let bestOwn = -1;
  for (const e of entries) {
    const s = scoreEntry(e, clause) + (source && READS.test(e.def.title) ? 2 : 0);
    // A tie goes to the node whose own keywords the clause uses ("into Slack": post_message, not "list" + "Slack" of list_channels).
    const own = scoreEntry(e, clause, 2);
    if (s > bestScore || (s === bestScore && own > bestOwn)) {
      bestOwn = own;
      best = e;
      bestScore = s;
    }
  }
  return best;
}

class GraphBuilder {
  nodes: GraphNode[] = [];
  edges: GraphEdge[] = [];
  explanation = new Map<string, string>();
  unplaced: string[] = [];
  private ids = new Set<string>();

  id(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50) || 'node';
    let id = clean;
    for (let i = 2; this.ids.has(id); i++) id = `${clean}_${i}`;
    this.ids.add(id);
    return id;
  }

  add(def: AnyNodeDefinition, id: string, config: Record<string, unknown>, why: string, from?: Cursor): GraphNode {
    const node: GraphNode = { id, type: def.type, version: def.version, name: def.title, config, position: { x: 0, y: 0 } };
    this.nodes.push(node);
    this.explanation.set(id, why);
    if (from) this.edges.push({ id: this.id(`e_${from.id}_${id}`), source: from.id, target: id, ...(from.handle ? { sourceHandle: from.handle } : {}) });
    return node;
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }
}

function placeTrigger(b: GraphBuilder, catalog: CatalogEntry[], registry: NodeRegistry, trigger: TriggerIntent, options: PlanOptions): GraphNode {
  const core = (type: string) => registry.latest(type)!;
  if (trigger.class === 'schedule') {
    let cron = trigger.cron?.cron ?? '0 9 * * *';
    let note = '';
    if (options.minScheduleSeconds && scheduleFloorProblem(cron, 'UTC', options.minScheduleSeconds)) {
      cron = '0 * * * *';
      note = ' (hourly: the server refuses schedules closer than its floor)';
    }
    const said = trigger.cron ? `${quote(trigger.cron.matched)} reads as the cron ${cron}${note}` : `the description asks for a schedule (${quote(trigger.phrase)}); 09:00 UTC daily until you set it`;
    return b.add(core('core.schedule'), b.id('schedule'), { cron, timezone: 'UTC' }, `Starts the workflow on a schedule: ${said}.`);
  }
  if (trigger.class === 'webhook') {
    return b.add(core('core.webhook'), b.id('webhook'), { method: 'POST' }, `Starts the workflow when a request reaches its URL, because the description says ${quote(trigger.phrase)}.`);
  }
  if (trigger.class === 'app-event') {
    const pick = bestTrigger(eventTriggers(catalog, trigger), trigger);
    if (pick) {
      const source = pick.type.startsWith('core.') ? `${trigger.serviceName ?? 'app'} event` : `${trigger.serviceName} event`;
      return b.add(pick.def, b.id(pick.type.replace('.', '_')), startingConfig(pick.def, '$trigger'), `Starts the workflow on a ${source}, because the description says ${quote(trigger.phrase)}.`);
    }
    const stand = standIn(trigger.serviceName);
    b.unplaced.push(`${stand.what} (${quote(trigger.phrase)}): the catalog has none, so a webhook stands in; ${stand.how}`);
    return b.add(core('core.webhook'), b.id('webhook'), { method: 'POST' }, `Stands in for ${stand.what.replace(/^A/, 'a')} (${quote(trigger.phrase)}): ${stand.who} can post each event to this URL.`);
  }
  if (trigger.phrase) return b.add(core('core.manual'), b.id('manual'), {}, `Starts the workflow by hand, because the description says ${quote(trigger.phrase)}.`);
  return b.add(core('core.manual'), b.id('manual'), {}, 'Starts the workflow by hand: the description names no schedule, webhook or app event.');
}

/**
 * The catalog's triggers for an app event: those of the integration kind it names (Drive, Notion…),
 * else those of the app named ("telegram bot" → telegram.*, "cal.com" → calcom.*), else for a source
 * with no app (a form, a chat, a booking) Keyflow's own trigger of that name (core.form, core.chat) or
 * the triggers whose own keywords name it. None: a webhook stands in.
 */
function eventTriggers(catalog: CatalogEntry[], trigger: TriggerIntent): CatalogEntry[] {
  const triggers = catalog.filter((e) => e.def.kind === 'trigger' && !['core.webhook', 'core.schedule', 'core.manual'].includes(e.type));
  const withPrefix = (prefix: string) => triggers.filter((e) => e.type.startsWith(`${prefix}.`));
  const prefix = trigger.service ? prefixOfKind(trigger.service) : undefined;
  if (prefix) return withPrefix(prefix);
  const name = trigger.serviceName?.toLowerCase();
  if (!name) return [];
  const words = name.split(/\s+/);
  // The app first ("webflow form" is Webflow's), its name without punctuation as the type prefix.
  const app = withPrefix(words[0]!.replace(/[^a-z0-9]/g, ''));
  if (app.length > 0) return app;
  // An app's form or chat with no trigger of that app ("your Webflow forms"): the app posts to a webhook.
  if (words.length > 1 || !SOURCE_NAMES.has(name)) return [];
  const own = triggers.filter((e) => e.type === `core.${name}`);
  return own.length > 0 ? own : triggers.filter((e) => scoreEntry(e, trigger.sentence ?? trigger.phrase, 2) > 0);
}

/** Words of a trigger that fires on something new (a new file, a page added), not on a change. */
const ON_NEW = /\b(new|added|created|received|submitted|uploaded)\b/i;

/**
 * Which of the event's triggers its words name best ("a document is updated" → file updated);
 * on a tie, the one for new things, which most events are.
 */
function bestTrigger(entries: CatalogEntry[], trigger: TriggerIntent): CatalogEntry | undefined {
  if (entries.length <= 1) return entries[0];
  // The event's own words ("a document is updated"), not the rest of its sentence ("…, update the tracker").
  let best: CatalogEntry | undefined;
  let bestScore = -1;
  for (const e of entries) {
    const s = scoreEntry(e, trigger.phrase) * 2 + (ON_NEW.test(e.def.title) ? 1 : 0);
    if (s > bestScore) {
      best = e;
      bestScore = s;
    }
  }
  return best;
}

/** Event sources named without an app (read-description's source words). */
const SOURCE_NAMES = new Set(['form', 'chat', 'booking']);

/** How a webhook stands in for an event source the catalog has no trigger for: a form, a chat, an app. */
function standIn(source: string | undefined): { what: string; how: string; who: string } {
  if (!source) return { what: 'A trigger for this event', how: 'have the service that emits it post each event to its URL', who: 'the service that emits it, or a relay,' };
  const name = source.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  const article = /^[AEIOU]/.test(name) ? 'An' : 'A';
  if (/\bForm$/.test(name)) return { what: `${article} ${name === 'Form' ? 'form' : name} trigger`, how: 'point the form’s submit action (or its webhook setting) at its URL', who: 'the form' };
  if (/\bChat$/.test(name)) return { what: `${article} ${name === 'Chat' ? 'chat' : name} trigger`, how: 'have the chat window post each message to its URL', who: 'the chat window' };
  return { what: `${article} ${name} trigger`, how: `point ${name}${name.endsWith('s') ? "'" : "'s"} notifications at its URL`, who: `${name} or a relay` };
}

function placeStep(b: GraphBuilder, catalog: CatalogEntry[], registry: NodeRegistry, step: StepIntent, cursor: Cursor, trigger: GraphNode, inLoop: boolean): { cursor: Cursor; placed?: GraphNode } {
  const ref = cursor.handle === 'item' || inLoop ? '$item' : refOf(dataSource(b, cursor.id), false);
  if (step.op === 'unplaced') {
    if (!b.unplaced.includes(step.reason)) b.unplaced.push(step.reason);
    return { cursor };
  }
  if (step.op === 'condition') {
    const def = registry.latest('core.condition')!;
    const from = step.also ? parentOf(b, cursor) : cursor;
    const node = b.add(def, b.id('condition'), { if: conditionExpression(step.test, trigger, ref) }, `Checks ${quote(step.said ?? step.clause)}; what follows runs only on its true branch${step.test.type === 'open' ? ' (set the test you mean)' : ''}.`, from);
    return { cursor: { id: node.id, handle: 'true' }, placed: node };
  }
  if (step.op === 'loop') {
    const def = registry.latest('core.loop')!;
    // The list is the data's `items` until the user points it elsewhere (an HTTP answer's is under body).
    const source = dataSource(b, cursor.id);
    const list = ref !== '$item' ? nearestList(b, registry, cursor.id) : undefined;
    // What an app's write answers (the row appended, the card made) is no list: the run's data is.
    const sourceDef = source ? registry.get(source.type, source.version) : undefined;
    const wrote = sourceDef !== undefined && sourceDef.kind !== 'trigger' && kindOfType(sourceDef.type) !== 'ai' && !sourceDef.type.startsWith('core.') && !READS.test(sourceDef.title);
    // An app trigger's own list (a booking's attendees) is the run's data; a webhook's is its body's items.
    const triggerList = trigger.type.startsWith('core.') ? undefined : listField(registry.get(trigger.type, trigger.version));
    const runData = trigger.type === 'core.webhook' ? '{{ $trigger.body.items }}' : triggerList ? `{{ $node["${trigger.id}"].output.${triggerList} }}` : '{{ $trigger.items }}';
    const items = list ? `{{ $node["${list.id}"].output.${list.field} }}` : wrote && ref !== '$item' ? runData : trigger.type === 'core.webhook' && ref === '$trigger.body' ? '{{ $trigger.body.items }}' : source?.type === 'core.http' ? `{{ ${ref}.body.items }}` : ref === '$item' ? '{{ $item }}' : `{{ ${ref}.items }}`;
    const node = b.add(def, b.id('loop'), { items }, `Runs the next steps once per item, because the description says ${quote(step.words)} (point "items" at the list).`, cursor);
    return { cursor: { id: node.id, handle: 'item' }, placed: node };
  }
  // An app named in the text that has nodes of its own (by title or keyword, not one of the scored kinds): its best action.
  const own = step.kind === 'http' && step.service ? appEntries(catalog, step.service) : [];
  if (own.length > 0) return placeAction(b, bestAction(own, step.clause, step.service)!, step, ref, cursor);
  const coreType = CORE_TYPE[step.kind];
  if (coreType) {
    const def = registry.latest(coreType);
    if (!def) return { cursor };
    if (step.kind === 'respond' && trigger.type !== 'core.webhook') return { cursor };
    const config =
      step.kind === 'ai'
        ? { prompt: aiPrompt(step.clause, ref), tier: 'economy' }
        : step.kind === 'http'
          ? httpConfig(step.clause, ref)
          : step.kind === 'delay'
            ? delayConfig(step.clause)
            : step.kind === 'transform'
              ? { fields: [{ name: 'data', value: `{{ ${ref} }}` }], keepInput: true }
              : { status: 200, body: `{{ ${ref} }}` };
    if (step.kind === 'respond') trigger.config = { ...trigger.config, responseMode: 'wait' };
    const why =
      step.kind === 'ai'
        ? `Asks the cheapest fitting AI model to do ${quote(step.said ?? step.clause)}.`
        : step.kind === 'http'
          ? `Calls ${step.service ? `${step.service}'s API (the catalog has no ${step.service} node)` : 'an external API'} for ${quote(step.said ?? step.clause)}; replace the placeholder URL with the service's.`
          : step.kind === 'delay'
            ? `Waits before going on, because the description says ${quote(step.words)}.`
            : step.kind === 'transform'
              ? `Reshapes the data, because the description says ${quote(step.words)}.`
              : `Answers the webhook caller with the result, because the description says ${quote(step.words)}.`;
    const node = b.add(def, b.id(def.type === 'ai.complete' ? 'ai' : def.type.replace('core.', '')), config, why, cursor);
    return { cursor: { id: node.id, handle: null }, placed: node };
  }
  // An integration kind: its best action, or a note that the catalog has none.
  const prefix = prefixOfKind(step.kind as Kind);
  const entries = prefix ? catalog.filter((e) => e.type.startsWith(`${prefix}.`) && e.def.kind !== 'trigger') : [];
  const pick = bestAction(entries, step.clause, step.service);
  if (!pick) {
    const reason = `${step.service ?? step.kind}: no ${step.service ?? step.kind} node in the catalog for ${quote(step.said ?? step.clause)}`;
    if (!b.unplaced.includes(reason)) b.unplaced.push(reason);
    return { cursor };
  }
  return placeAction(b, pick, step, ref, cursor);
}

type OutputSchema = { properties?: Record<string, { type?: unknown; items?: { type?: unknown } }>; required?: string[] } | null;

/** The list of records a node's output holds (Sheets' values, Gmail's messages, Notion's results): a required one first, then objects before arrays. */
function listField(def: AnyNodeDefinition | undefined): string | undefined {
  if (!def) return undefined;
  const schema = describedNode(def).outputSchema as OutputSchema;
  const required = schema?.required ?? [];
  // A required list is always there (Sheets' `rows` comes only with its header option; `values` always).
  const score = ([k, p]: [string, { items?: { type?: unknown } }]) => (required.includes(k) ? 2 : 0) + (p.items?.type === 'object' ? 1 : 0);
  return Object.entries(schema?.properties ?? {})
    .filter(([, p]) => p.type === 'array' && (p.items?.type === 'object' || p.items?.type === 'array'))
    .sort((a, b) => score(b) - score(a))[0]?.[0];
}

/** The nearest node upstream whose output holds a list ("from a Google Sheets lead list … for each prospect"). */
function nearestList(b: GraphBuilder, registry: NodeRegistry, from: string): { id: string; field: string } | undefined {
  let node = b.node(from);
  for (let hops = 0; node && hops < 50; hops++) {
    const def = registry.get(node.type, node.version);
    // An HTTP answer's list is under its body, and a trigger's data is the run's: those keep their own rules.
    if (node.type === 'core.http' || !def || def.kind === 'trigger') return undefined;
    const field = listField(def);
    if (field) return { id: node.id, field };
    const into = b.edges.find((e) => e.target === node!.id);
    node = into ? b.node(into.source) : undefined;
  }
  return undefined;
}

/** Actions whose title or own keywords name the app ("Airtable: create record"). */
function appEntries(catalog: CatalogEntry[], service: string): CatalogEntry[] {
  const name = service.toLowerCase();
  return catalog.filter((e) => e.def.kind !== 'trigger' && e.kind === null && (e.def.title.toLowerCase().includes(name) || (e.def.keywords ?? []).some((k) => k.toLowerCase() === name)));
}

/** An integration's action with its starting config, the fields to pick said in its explanation. */
function placeAction(b: GraphBuilder, pick: CatalogEntry, step: StepIntent, ref: string, cursor: Cursor): { cursor: Cursor; placed: GraphNode } {
  const channel = /(^|\s)(#[a-z0-9._-]+)/.exec(step.clause)?.[2];
  const config = startingConfig(pick.def, ref, channel && 'channel' in (pick.def.examples?.[0]?.config ?? {}) ? { channel } : {});
  const pickFields = fieldsToPick(pick.def, config);
  const pickNote = pickFields.length ? ` (pick its ${pickFields.join(' and ')})` : '';
  const node = b.add(pick.def, b.id(pick.type.replace('.', '_')), config, `${pick.def.title}, because the description says ${quote(step.said ?? step.clause)}${pickNote}.`, cursor);
  return { cursor: { id: node.id, handle: null }, placed: node };
}

/** Pass-through nodes hand on their input: the data a step works on is the last node that made some. */
const PASS_THROUGH = new Set(['core.condition', 'core.switch', 'core.delay', 'core.loop']);
function dataSource(b: GraphBuilder, id: string): GraphNode | undefined {
  let node = b.node(id);
  for (let hops = 0; node && PASS_THROUGH.has(node.type) && hops < 50; hops++) {
    const into = b.edges.find((e) => e.target === node!.id && e.targetHandle !== 'next');
    node = into ? b.node(into.source) : undefined;
  }
  return node;
}

/** The cursor one step back: where an "also" branch hangs beside the last step. */
function parentOf(b: GraphBuilder, cursor: Cursor): Cursor {
  const edge = b.edges.find((e) => e.target === cursor.id);
  return edge ? { id: edge.source, handle: edge.sourceHandle ?? null } : cursor;
}

/** Takes out the nodes a validation names and reconnects their children to their parent. */
function pruneInvalid(b: GraphBuilder, registry: NodeRegistry, options: PlanOptions): Graph {
  for (let round = 0; round < 10; round++) {
    const graph = { nodes: b.nodes, edges: b.edges };
    const result = validateGraph(graph, registry, options.minScheduleSeconds ? { minScheduleSeconds: options.minScheduleSeconds } : {});
    if (result.ok) return result.graph;
    const bad = new Set<number>();
    for (const issue of result.issues) if (issue.path[0] === 'nodes' && typeof issue.path[1] === 'number' && issue.path[1] > 0) bad.add(issue.path[1]);
    if (bad.size === 0) throw new Error(`the planner built a graph it cannot repair: ${result.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    for (const i of [...bad].sort((x, y) => y - x)) {
      const node = b.nodes[i]!;
      const into = b.edges.find((e) => e.target === node.id);
      b.edges = b.edges.flatMap((e) => {
        if (e.target === node.id) return [];
        if (e.source === node.id) return into ? [{ ...e, source: into.source, sourceHandle: into.sourceHandle ?? null }] : [];
        return [e];
      });
      b.nodes.splice(i, 1);
      b.explanation.delete(node.id);
      b.unplaced.push(`${node.name ?? node.type}: its settings could not be filled in from the description`);
    }
  }
  throw new Error('the planner could not produce a valid graph');
}

/** Title words of actions that read what an event names (a file, a page, an event). */
const READS = /\b(read|get|download|list|find|query|search)\b/i;

/**
 * A webhook standing in for an app of ours with no trigger (a Drive upload, a Notion page) hands
 * on only what the app posts: when no step reads that app, its reading action goes first, so
 * the workflow works on the item itself ("new documents in Google Drive" → download the file).
 */
function readAfterStandIn(b: GraphBuilder, catalog: CatalogEntry[], reading: ReturnType<typeof readDescription>, trigger: GraphNode, cursor: Cursor): Cursor | undefined {
  const t = reading.trigger;
  if (t.class !== 'app-event' || !t.serviceName) return undefined;
  if (trigger.type !== 'core.webhook') return readAfterMetadataTrigger(b, catalog, reading, trigger, cursor);
  // The app's nodes: by its kind (Drive, Calendar, Notion), or by title or keyword for one outside the scored kinds (Sheets).
  const prefix = t.service ? prefixOfKind(t.service) : undefined;
  const own = prefix ? catalog.filter((e) => e.type.startsWith(`${prefix}.`) && e.def.kind !== 'trigger') : appEntries(catalog, t.serviceName);
  if (reading.steps.some((s) => s.op === 'action' && (t.service ? s.kind === t.service : s.service?.toLowerCase() === t.serviceName!.toLowerCase()))) return undefined;
  const readers = own.filter((e) => READS.test(e.def.title));
  const pick = bestAction(readers, t.phrase);
  if (!pick) return undefined;
  const config = startingConfig(pick.def, '$trigger.body');
  const fields = fieldsToPick(pick.def, config);
  const node = b.add(pick.def, b.id(pick.type.replace('.', '_')), config, `${pick.def.title}: reads the ${t.serviceName} item the event names (the stand-in webhook receives only what ${t.serviceName} posts)${fields.length ? `; pick its ${fields.join(' and ')} or have the event carry it` : ''}.`, cursor);
  return { id: node.id, handle: null };
}

/**
 * App triggers whose run data is only the item's metadata (a Drive file's id, name and type), and
 * the action that reads the item itself, with its config: "new documents in Google Drive,
 * summarise them" downloads each file first, unless a step already reads Drive.
 */
const METADATA_TRIGGERS: Readonly<Record<string, { type: string; config: Record<string, unknown> }>> = {
  'drive.new_file': { type: 'drive.download', config: { fileId: '{{ $trigger.id }}' } },
  'drive.file_updated': { type: 'drive.download', config: { fileId: '{{ $trigger.id }}' } },
};

function readAfterMetadataTrigger(b: GraphBuilder, catalog: CatalogEntry[], reading: ReturnType<typeof readDescription>, trigger: GraphNode, cursor: Cursor): Cursor | undefined {
  const reader = METADATA_TRIGGERS[trigger.type];
  const entry = reader ? catalog.find((e) => e.type === reader.type) : undefined;
  if (!reader || !entry || reading.steps.some((s) => s.op === 'action' && s.kind === reading.trigger.service)) return undefined;
  const node = b.add(entry.def, b.id(entry.type.replace('.', '_')), startingConfig(entry.def, '$trigger', reader.config), `${entry.def.title}: reads the file the trigger reports (its run data is the file's name, type and id, not its content).`, cursor);
  return { id: node.id, handle: null };
}

/** A bot or chat that talks back: its answer goes to the conversation it came from. */
const CONVERSES = /\b(bots?|chatbots?|conversational|conversations?|chats?|repl(y|ies|ying)|respon(d|ds|ding|ses?)|answers?)\b/;
const SENDS = /\b(send|reply|post)\b/i;

/**
 * A messenger's event (a Telegram message) that the description has answered ("a bot … for
 * responses") gets the app's send action last, to the chat it came from, when no step already
 * writes to that app: without it the bot would think and say nothing. The action's first example
 * says where the chat is in the trigger's data.
 */
function answerInApp(b: GraphBuilder, catalog: CatalogEntry[], description: string, trigger: GraphNode, cursor: Cursor): void {
  const prefix = trigger.type.slice(0, trigger.type.indexOf('.'));
  if (prefix === 'core' || !CONVERSES.test(description.toLowerCase())) return;
  if (b.nodes.some((n) => n !== trigger && n.type.startsWith(`${prefix}.`))) return;
  const send = catalog.find((e) => e.def.kind === 'action' && e.type.startsWith(`${prefix}.`) && SENDS.test(e.def.title) && /message/i.test(e.def.title));
  // The example that answers where the event came from says which of the trigger's fields that is.
  const reply = send?.def.examples?.find((e) => e.config && Object.keys(idsFromTrigger(e.config)).length > 0)?.config;
  if (!send || !reply) return;
  const last = b.node(cursor.id);
  const ref = last && last.type !== trigger.type ? refOf(last, cursor.handle === 'item') : '$trigger';
  const config = startingConfig(send.def, ref, { ...idsFromTrigger(reply), text: `{{ ${ref} }}` }, reply);
  b.add(send.def, b.id(send.type.replace('.', '_')), config, `${send.def.title}: answers in the conversation the message came from, because the description has the workflow respond.`, cursor);
}

/** The catalog of a registry, built once: its phrase tests are the planner's main cost. */
const catalogs = new WeakMap<NodeRegistry, CatalogEntry[]>();
function catalogOf(registry: NodeRegistry): CatalogEntry[] {
  let c = catalogs.get(registry);
  if (!c) catalogs.set(registry, (c = buildCatalog(registry)));
  return c;
}

/** Plans a workflow from a description without any model. Deterministic. */
export function planWorkflow(description: string, registry: NodeRegistry, options: PlanOptions = {}): GenerateResult {
  const catalog = catalogOf(registry);
  const reading = readDescription(description);
  const b = new GraphBuilder();
  const trigger = placeTrigger(b, catalog, registry, reading.trigger, options);
  let cursor: Cursor = { id: trigger.id, handle: null };
  const read = readAfterStandIn(b, catalog, reading, trigger, cursor);
  if (read) cursor = read;
  let loop: { id: string; sentence: number | undefined } | undefined;
  for (const step of reading.steps) {
    // A loop's body is the rest of its sentence; the next sentence goes on after the loop.
    if (loop && step.sentence !== loop.sentence) {
      cursor = { id: loop.id, handle: 'done' };
      loop = undefined;
    }
    const placed = placeStep(b, catalog, registry, step, cursor, trigger, loop !== undefined);
    cursor = placed.cursor;
    if (step.op === 'loop' && placed.placed) loop = { id: placed.placed.id, sentence: step.sentence };
    if (b.nodes.length >= 30) break;
  }
  answerInApp(b, catalog, description, trigger, loop ? { id: loop.id, handle: 'done' } : cursor);
  const graph = layoutLeftToRight(pruneInvalid(b, registry, options));
  const explanation: NodeExplanation[] = graph.nodes.map((n) => ({ nodeId: n.id, text: b.explanation.get(n.id) ?? `${n.name ?? n.type}.` }));
  return { graph, explanation, source: 'planner', unplaced: b.unplaced, credentials: credentialsToPick(graph, registry) };
}

/** Placed nodes that need a connection: the user picks it (or the engine lends their only one). */
export function credentialsToPick(graph: Graph, registry: NodeRegistry): CredentialToPick[] {
  const out: CredentialToPick[] = [];
  for (const n of graph.nodes) {
    const def = registry.get(n.type, n.version);
    if (def?.credential && def.credential.optional !== true) out.push({ nodeId: n.id, provider: def.credential.provider });
  }
  return out;
}
