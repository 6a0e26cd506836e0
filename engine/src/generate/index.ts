// From a sentence to a graph (issue 11 item 3): the deterministic planner, the AI path, and the
// kinds generated graphs are scored by.
export { planWorkflow, credentialsToPick, type PlanOptions } from './plan-workflow.ts';
export { readDescription, splitClauses, type DescriptionReading, type StepIntent, type TriggerIntent } from './read-description.ts';
export { cronFromPhrase } from './cron-phrase.ts';
export { buildCatalog, catalogForPrompt, type CatalogEntry } from './catalog.ts';
export { KINDS, kindOfType, triggerClassOf, type Kind, type TriggerClass } from './kinds.ts';
export { layoutLeftToRight } from './layout.ts';
export { MAX_DESCRIPTION_LENGTH, type CredentialToPick, type GenerateResult, type NodeExplanation } from './generate-types.ts';
// The catalog generation plans from by default, for callers (bench/) that do not depend on nodes.
export { defaultRegistry } from '@keyflow/nodes';
export type { NodeRegistry } from '@keyflow/nodes/contract';
export { createGenerator, type AiTrace, type GenerateOptions, type GenerateOutcome, type Generator, type GeneratorDeps } from './create-generator.ts';
export { checkAiAnswer } from './check-ai-answer.ts';
export { answerJsonSchema, systemPrompt } from './ai-prompt.ts';
export { aiGenerate, type AiGenerateDeps } from './ai-generate.ts';
