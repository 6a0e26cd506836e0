// The AI router's public face: createRouter plus the pieces a caller wires into it.
export { createRouter } from './router.ts';
export type { Router, RouterDeps } from './router.ts';
export { CircuitBreaker } from './breaker.ts';
export type { Breaker, BreakerOptions, CircuitState } from './breaker.ts';
export { createDbBudgetStore, budgetMonth } from './budget.ts';
export type { BudgetStore, Reservation } from './budget.ts';
export { costMicros, estimatePromptTokens, estimateTokens, expectedCostMicros, worstCaseCostMicros } from './cost.ts';
export { AllProvidersFailed, BudgetExceeded, NoModelAvailable } from './router-errors.ts';
export type * from './router-types.ts';
export { loadCatalog, priceDate, tiers } from '../catalog/catalog.ts';
export type { Catalog, CatalogModel, CatalogOverride, Prices, Tier } from '../catalog/catalog.ts';
export { applyQuality, referenceOf } from './apply-quality.ts';
export { judge, compareScores, marginLabels, qualityMargins, tierReferences } from './quality-gate.ts';
export type { QualityMargin, Verdict, Comparison } from './quality-gate.ts';
export { inferTask, loadQuality, qualityFrom, retirements, taskCategories, tasks, measures } from '../catalog/quality/quality.ts';
export type { QualityTable, Task, Category, Score } from '../catalog/quality/quality.ts';
export { rankCandidates } from './select-candidates.ts';
