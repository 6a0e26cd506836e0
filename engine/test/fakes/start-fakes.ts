import type { ProviderId } from '../../src/ai/types.ts';
import { anthropicDialect } from './anthropic-dialect.ts';
import { FakeServer } from './fake-server.ts';
import { geminiDialect } from './gemini-dialect.ts';
import { openaiDialect } from './openai-dialect.ts';

export interface Fakes {
  /** What `createProviders({ baseUrls })` takes; for Azure it is the resource endpoint. */
  baseUrls: Record<ProviderId, string>;
  servers: Record<ProviderId, FakeServer>;
  /** Clears every fake's requests, queue and handler. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts one fake per provider on 127.0.0.1 random ports. */
export async function startFakes(): Promise<Fakes> {
  const servers: Record<ProviderId, FakeServer> = {
    openai: await new FakeServer(openaiDialect('openai')).start(),
    deepseek: await new FakeServer(openaiDialect('deepseek')).start(),
    azure_openai: await new FakeServer(openaiDialect('azure')).start(),
    anthropic: await new FakeServer(anthropicDialect()).start(),
    gemini: await new FakeServer(geminiDialect()).start(),
  };
  const list = Object.values(servers);
  return {
    baseUrls: {
      openai: `${servers.openai.origin}/v1`,
      deepseek: servers.deepseek.origin,
      azure_openai: servers.azure_openai.origin,
      anthropic: servers.anthropic.origin,
      gemini: servers.gemini.origin,
    },
    servers,
    reset: () => list.forEach((s) => s.reset()),
    close: async () => void (await Promise.all(list.map((s) => s.close()))),
  };
}
