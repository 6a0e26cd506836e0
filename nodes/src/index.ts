export * from './contract/index.ts';
export * from './core/index.ts';
export * from './ai/index.ts';
export * from './integrations/index.ts';
import { createNodeRegistry, type NodeRegistry } from './contract/index.ts';
import { aiNodes } from './ai/index.ts';
import { coreNodes } from './core/index.ts';
import { integrationNodes } from './integrations/registry.ts';

/** Every node Keyflow ships: core, AI, and every integration's (nodes/src/integrations/registry.ts). */
export const defaultRegistry: NodeRegistry = createNodeRegistry([...coreNodes, ...aiNodes, ...integrationNodes]);
