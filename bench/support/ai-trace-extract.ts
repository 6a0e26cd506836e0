// Builds the AI-call trace for `bench ai` from exported n8n workflows: one entry per node that
// makes a chat-model call (an agent/chain node with its attached chat model, or an OpenAI node),
// with the model its author picked, the size of its prompt templates and the needs it declares.
// Run: node bench/support/ai-trace-extract.ts <dir of n8n .json files> > bench/data/ai-trace.json
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aiRouter } from '@keyflow/engine';

export interface TraceCall {
  file: string;
  node: string;
  /** n8n node type without its package, e.g. "agent", "chainLlm", "openAi". */
  kind: string;
  /** Where the model runs: a Keyflow provider id, or another service (groq, ollama, openrouter…). */
  provider: string;
  /** The author's model id, or n8n's default when the node leaves it out (`modelDeclared: false`). */
  model: string | null;
  modelDeclared: boolean;
  systemChars: number;
  userChars: number;
  /** Estimated with the router's estimator over the template text (placeholders as written). */
  systemTokens: number;
  userTokens: number;
  /** `{{ … }}` placeholders filled at run time with data whose size is unknown here. */
  placeholders: number;
  maxTokens: number | null;
  needs: { json: boolean; tools: boolean; vision: boolean };
}

type Params = Record<string, unknown>;
type N8nNode = { name: string; type: string; parameters: Params };
type Links = Map<string, Map<string, string[]>>; // target node → connection type → source nodes

const isObj = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v.replace(/^=/, '') : '');
const get = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every string under `v` (names and descriptions of categories, attributes, messages…). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [str(v)];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (isObj(v)) return Object.values(v).flatMap(strings);
  return [];
}

// Resource-locator values look like { __rl: true, value: 'gpt-4o' }; expressions pick the model at run time.
function modelValue(v: unknown): string | null {
  const raw = isObj(v) ? v.value : v;
  if (typeof raw !== 'string' || raw === '' || raw.startsWith('=')) return null;
  return raw;
}

function positiveInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null;
}

// Chat-model sub-nodes: the service they call and n8n's default model when the author left it out.
// n8n omits parameters left at their default on export, so a missing model means "the default".
const chatModels: Record<string, { provider: (p: Params) => string; model: (p: Params) => unknown; fallback: string | null }> = {
  // A custom base URL or an "org/model" id means an OpenAI-compatible service (OpenRouter and the like), not OpenAI.
  lmChatOpenAi: { provider: (p) => (str(get(p, 'options', 'baseURL')) || (modelValue(p.model) ?? '').includes('/') ? 'openai-compatible' : 'openai'), model: (p) => p.model, fallback: 'gpt-4o-mini' },
  lmChatAnthropic: { provider: () => 'anthropic', model: (p) => p.model, fallback: null },
  lmChatGoogleGemini: { provider: () => 'gemini', model: (p) => (typeof p.modelName === 'string' ? p.modelName.replace(/^models\//, '') : undefined), fallback: null },
  lmChatDeepSeek: { provider: () => 'deepseek', model: (p) => p.model, fallback: 'deepseek-chat' },
  lmChatAzureOpenAi: { provider: () => 'azure_openai', model: (p) => p.model, fallback: null },
  lmChatOpenRouter: { provider: () => 'openrouter', model: (p) => p.model, fallback: null },
  lmChatGroq: { provider: () => 'groq', model: (p) => p.model, fallback: null },
  lmChatMistralCloud: { provider: () => 'mistral', model: (p) => p.model, fallback: null },
  lmOllama: { provider: () => 'ollama', model: (p) => p.model, fallback: null },
  lmChatOllama: { provider: () => 'ollama', model: (p) => p.model, fallback: null },
};

// Nodes that send a prompt to an attached chat model.
const chainKinds = new Set(['agent', 'chainLlm', 'textClassifier', 'informationExtractor', 'sentimentAnalysis', 'chainSummarization', 'chainRetrievalQa']);
const AGENT_DEFAULT_SYSTEM = 'You are a helpful assistant';

function kindOf(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

function linksOf(connections: unknown): Links {
  const links: Links = new Map();
  if (!isObj(connections)) return links;
  for (const [source, byType] of Object.entries(connections)) {
    if (!isObj(byType)) continue;
    for (const [type, outputs] of Object.entries(byType)) {
      for (const edge of list(outputs).flatMap(list)) {
        const target = get(edge, 'node');
        if (typeof target !== 'string') continue;
        const byKind = links.get(target) ?? new Map<string, string[]>();
        byKind.set(type, [...(byKind.get(type) ?? []), source]);
        links.set(target, byKind);
      }
    }
  }
  return links;
}

type Prompt = { system: string[]; user: string[]; json: boolean; vision: boolean };

function chainPrompt(kind: string, p: Params): Prompt {
  const system: string[] = [];
  const user: string[] = [str(p.text), str(p.inputText)];
  let vision = false;
  if (kind === 'agent') system.push(str(get(p, 'options', 'systemMessage')) || AGENT_DEFAULT_SYSTEM);
  system.push(str(get(p, 'options', 'systemPromptTemplate')), ...strings(p.categories), ...strings(p.attributes));
  user.push(...strings(get(p, 'options', 'summarizationMethodAndPrompts')));
  for (const m of list(get(p, 'messages', 'messageValues'))) {
    const type = str(get(m, 'type')) || 'SystemMessagePromptTemplate';
    const messageType = str(get(m, 'messageType'));
    if (messageType === 'imageBinary' || messageType === 'imageUrl') vision = true;
    (type === 'SystemMessagePromptTemplate' ? system : user).push(str(get(m, 'message')));
  }
  const json = p.hasOutputParser === true || kind === 'informationExtractor' || kind === 'textClassifier' || kind === 'sentimentAnalysis';
  return { system, user, json, vision };
}

function roleSplit(messages: unknown[], system: string[], user: string[]): void {
  for (const m of messages) (str(get(m, 'role')) === 'system' ? system : user).push(str(get(m, 'content')));
}

/** A standalone OpenAI node: its model, prompt and needs, or null when it is not a chat call (audio, image generation, assistants). */
function openAiCall(type: string, p: Params): { model: string | null; declared: boolean; prompt: Prompt; maxTokens: number | null } | null {
  const system: string[] = [];
  const user: string[] = [];
  const resource = str(p.resource) || 'text';
  const operation = str(p.operation);
  let fallback: string;
  let vision = false;
  if (type.startsWith('@n8n/')) {
    if (resource === 'image' && operation === 'analyze') {
      vision = true;
      fallback = 'gpt-4o';
    } else if (resource === 'text' && (operation === '' || operation === 'message')) fallback = 'gpt-4o-mini';
    else return null;
    user.push(str(p.text));
    roleSplit(list(get(p, 'messages', 'values')), system, user);
    const model = modelValue(p.modelId);
    const json = p.jsonOutput === true;
    return { model: model ?? fallback, declared: model !== null, prompt: { system, user, json, vision }, maxTokens: positiveInt(get(p, 'options', 'maxTokens')) };
  }
  // n8n-nodes-base.openAi: chat, or the retired completion and edit endpoints.
  const messages = list(get(p, 'prompt', 'messages')).concat(list(get(p, 'messages', 'values')));
  if (resource === 'image') return null;
  if (resource === 'chat' || messages.length > 0) {
    fallback = 'gpt-3.5-turbo';
    roleSplit(messages, system, user);
  } else if (operation === 'edit') {
    fallback = 'text-davinci-edit-001';
    user.push(str(p.input), str(p.instruction));
  } else {
    fallback = 'text-davinci-003';
    user.push(str(p.prompt));
  }
  const model = modelValue(p.model);
  const json = str(get(p, 'options', 'responseFormat')) === 'json_object';
  return { model: model ?? fallback, declared: model !== null, prompt: { system, user, json, vision }, maxTokens: positiveInt(get(p, 'options', 'maxTokens')) };
}

function sized(file: string, node: string, kind: string, provider: string, model: string | null, declared: boolean, prompt: Prompt, maxTokens: number | null, tools: boolean): TraceCall {
  const system = prompt.system.filter(Boolean).join('\n');
  const user = prompt.user.filter(Boolean).join('\n');
  const placeholders = (system + user).match(/\{\{[\s\S]*?\}\}/g)?.length ?? 0;
  return {
    file,
    node,
    kind,
    provider,
    model,
    modelDeclared: declared,
    systemChars: system.length,
    userChars: user.length,
    systemTokens: system ? aiRouter.estimateTokens(system) : 0,
    userTokens: aiRouter.estimateTokens(user),
    placeholders,
    maxTokens,
    needs: { json: prompt.json, tools, vision: prompt.vision },
  };
}

/** The chat-model calls of one exported workflow. */
export function extractAiCalls(file: string, workflow: unknown): TraceCall[] {
  const nodes: N8nNode[] = list(get(workflow, 'nodes')).flatMap((n) =>
    isObj(n) && typeof n.name === 'string' && typeof n.type === 'string' && n.disabled !== true ? [{ name: n.name, type: n.type, parameters: isObj(n.parameters) ? n.parameters : {} }] : [],
  );
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const links = linksOf(get(workflow, 'connections'));
  const calls: TraceCall[] = [];
  for (const n of nodes) {
    const kind = kindOf(n.type);
    const p = n.parameters;
    if (kind === 'openAi' && (n.type.startsWith('@n8n/n8n-nodes-langchain.') || n.type.startsWith('n8n-nodes-base.'))) {
      const c = openAiCall(n.type, p);
      if (c) calls.push(sized(file, n.name, kind, 'openai', c.model, c.declared, c.prompt, c.maxTokens, false));
      continue;
    }
    if (!n.type.startsWith('@n8n/n8n-nodes-langchain.') || !chainKinds.has(kind)) continue;
    const inbound = links.get(n.name);
    const lm = (inbound?.get('ai_languageModel') ?? []).map((s) => byName.get(s)).find((s) => s !== undefined);
    const spec = lm ? chatModels[kindOf(lm.type)] : undefined;
    if (!lm || !spec) continue;
    const lp = lm.parameters;
    const declared = modelValue(spec.model(lp));
    const prompt = chainPrompt(kind, p);
    prompt.json ||= (inbound?.get('ai_outputParser')?.length ?? 0) > 0 || str(get(lp, 'options', 'responseFormat')) === 'json_object';
    const maxTokens = positiveInt(get(lp, 'options', 'maxTokens')) ?? positiveInt(get(lp, 'options', 'maxTokensToSample')) ?? positiveInt(get(lp, 'options', 'maxOutputTokens'));
    const tools = kind === 'agent' && (inbound?.get('ai_tool')?.length ?? 0) > 0;
    calls.push(sized(file, n.name, kind, spec.provider(lp), declared ?? spec.fallback, declared !== null, prompt, maxTokens, tools));
  }
  return calls;
}

/** Every call of every `.json` workflow in `dir`, files in name order. */
export function extractTrace(dir: string): TraceCall[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => extractAiCalls(f, JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node bench/support/ai-trace-extract.ts <dir of n8n workflow .json files>\n');
    process.exit(2);
  }
  const calls = extractTrace(dir);
  process.stdout.write(`[\n${calls.map((c) => `  ${JSON.stringify(c)}`).join(',\n')}\n]\n`);
}
