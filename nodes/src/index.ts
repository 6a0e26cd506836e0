export * from './contract/index.ts';
export * from './core/index.ts';
export * from './ai/index.ts';
import { createNodeRegistry, type NodeRegistry } from './contract/index.ts';
import { aiNodes } from './ai/index.ts';
import { coreNodes } from './core/index.ts';

/** Every node Keyflow ships; the integration nodes join this list as they land. */
export const defaultRegistry: NodeRegistry = createNodeRegistry([...coreNodes, ...aiNodes]);
