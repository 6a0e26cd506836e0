import { describe, expect, it } from 'vitest';
import { extractAiCalls, type TraceCall } from './ai-trace-extract.ts';

const lc = (kind: string) => `@n8n/n8n-nodes-langchain.${kind}`;
const link = (target: string, type: string) => ({ [type]: [[{ node: target, type, index: 0 }]] });

// A trimmed export in n8n's shape: sub-nodes (chat models, tools, parsers) point at the node they serve.
const workflow = {
  nodes: [
    { name: 'Agent', type: lc('agent'), parameters: { text: '=Reply to {{ $json.body }}', options: { systemMessage: 'You answer emails.' } } },
    { name: 'GPT', type: lc('lmChatOpenAi'), parameters: { options: {} } },
    { name: 'Search', type: lc('toolSerpApi'), parameters: {} },
    { name: 'Parser', type: lc('outputParserStructured'), parameters: {} },
    {
      name: 'Chain',
      type: lc('chainLlm'),
      parameters: { text: 'Describe the picture', messages: { messageValues: [{ message: 'Be brief.' }, { type: 'HumanMessagePromptTemplate', messageType: 'imageBinary' }] } },
    },
    { name: 'Claude', type: lc('lmChatAnthropic'), parameters: { model: 'claude-3-5-haiku-20241022', options: { maxTokensToSample: 4096 } } },
    { name: 'Look', type: lc('openAi'), parameters: { resource: 'image', operation: 'analyze', text: 'What is this?' } },
    { name: 'Transcribe', type: lc('openAi'), parameters: { resource: 'audio', operation: 'transcribe' } },
    { name: 'Old', type: 'n8n-nodes-base.openAi', parameters: { prompt: '=Is this about n8n? {{ $json.text }}', options: { maxTokens: 32 } } },
    { name: 'Routed', type: lc('lmChatOpenAi'), parameters: { model: { __rl: true, value: 'deepseek/deepseek-r1:free' } } },
    { name: 'Off', type: lc('chainLlm'), disabled: true, parameters: { text: 'never runs' } },
    { name: 'Lonely model', type: lc('lmChatGoogleGemini'), parameters: { modelName: 'models/gemini-2.0-flash' } },
  ],
  connections: {
    GPT: link('Agent', 'ai_languageModel'),
    Search: link('Agent', 'ai_tool'),
    Parser: link('Agent', 'ai_outputParser'),
    Claude: link('Chain', 'ai_languageModel'),
    Routed: link('Off', 'ai_languageModel'),
  },
};

const byNode = (calls: TraceCall[]) => new Map(calls.map((c) => [c.node, c]));

describe('extractAiCalls', () => {
  const calls = byNode(extractAiCalls('wf.json', workflow));

  it('finds one call per prompting node, skipping non-chat, disabled and unattached nodes', () => {
    expect([...calls.keys()].sort()).toEqual(['Agent', 'Chain', 'Look', 'Old']);
  });

  it.each([
    ['Agent', { kind: 'agent', provider: 'openai', model: 'gpt-4o-mini', modelDeclared: false, maxTokens: null, needs: { json: true, tools: true, vision: false } }],
    ['Chain', { kind: 'chainLlm', provider: 'anthropic', model: 'claude-3-5-haiku-20241022', modelDeclared: true, maxTokens: 4096, needs: { json: false, tools: false, vision: true } }],
    ['Look', { kind: 'openAi', provider: 'openai', model: 'gpt-4o', modelDeclared: false, needs: { json: false, tools: false, vision: true } }],
    ['Old', { kind: 'openAi', provider: 'openai', model: 'text-davinci-003', modelDeclared: false, maxTokens: 32, placeholders: 1 }],
  ])('%s: model, limits and declared needs', (node, expected) => {
    expect(calls.get(node)).toMatchObject(expected);
  });

  it('sizes system and user templates apart, without the expression marker', () => {
    const agent = calls.get('Agent');
    expect(agent?.systemChars).toBe('You answer emails.'.length);
    expect(agent?.userChars).toBe('Reply to {{ $json.body }}'.length);
    expect(agent?.userTokens).toBe(Math.ceil('Reply to {{ $json.body }}'.length / 4));
    expect(calls.get('Chain')?.systemChars).toBe('Be brief.'.length);
  });
});
