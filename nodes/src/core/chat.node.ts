import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { isRecord } from './is-record.ts';

/** A chat session id: chosen by the client, so only a safe shape is accepted. */
export const CHAT_SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Longest chat message accepted, in characters. */
export const CHAT_MESSAGE_MAX = 8_000;

/**
 * Started by each message posted to the chat URL (`POST { sessionId, message }`); the answer is
 * what the workflow's Respond node sends, or else the last node's output. Keyflow keeps no
 * conversation: a workflow that needs memory stores it per sessionId itself.
 */
export const chatNode = defineNode({
  type: 'core.chat',
  version: 1,
  title: 'Chat message received',
  description: 'Starts the workflow with each message sent to its chat URL or hosted chat page, and answers with the reply.',
  keywords: ["chat", "chat message", "chat interface", "chatbot", "chat bot", "ai agent chat", "chat with", "conversational", "conversation", "assistant", "talk to", "ask questions", "q&a bot", "support bot", "message received", "when a user sends a message", "chat widget"],
  examples: [
    { text: "A chatbot that answers questions with AI", config: { title: 'Ask us anything' } },
    { text: "When a chat message is received, reply with an AI agent", config: {} },
  ],
  sampleEvent: { sessionId: 'sample-session-1', message: 'Can you recommend a film like Arrival?', receivedAt: '2026-12-01T09:30:00.000Z' },
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({
    title: z.string().min(1).max(200).default('Chat').describe('The heading of the hosted chat page'),
    welcome: z.string().max(2_000).optional().describe('The first message the chat page shows'),
    placeholder: z.string().max(200).default('Type a message…'),
    timeoutMs: z.int().min(1_000).max(120_000).optional().describe('How long the sender waits for the reply'),
  }),
  // chatInput: the message again, under n8n's name for it, so imported n8n chat workflows read it.
  output: z.object({ sessionId: z.string(), message: z.string(), chatInput: z.string(), receivedAt: z.string() }),
  async run(ctx) {
    const t = isRecord(ctx.trigger) ? ctx.trigger : {};
    const message = typeof t.message === 'string' ? t.message : '';
    return {
      output: {
        sessionId: typeof t.sessionId === 'string' ? t.sessionId : '',
        message,
        chatInput: message,
        receivedAt: typeof t.receivedAt === 'string' ? t.receivedAt : ctx.now().toISOString(),
      },
    };
  },
});
