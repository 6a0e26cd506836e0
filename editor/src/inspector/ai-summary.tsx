// For AI nodes: the tier or pinned model, and an estimated cost per run from the price table.
import { useMemo } from 'react';
import { isObject } from './field-kind.ts';
import { estimateAiCost, formatUsd, type AiCostInput } from './estimate-ai-cost.ts';
import { useCredentials, useModelCatalog, type Tier } from './inspector-queries.ts';

function costInput(config: Record<string, unknown>, resolvedPrompt: string | undefined): AiCostInput {
  const str = (k: string) => (typeof config[k] === 'string' ? (config[k] as string) : undefined);
  const input: AiCostInput = { prompt: resolvedPrompt ?? str('prompt') ?? '' };
  const system = str('system');
  if (system) input.system = system;
  const tier = str('tier');
  if (tier === 'economy' || tier === 'balanced' || tier === 'premium') input.tier = tier as Tier;
  const model = str('model');
  if (model && !model.includes('{{')) input.model = model;
  if (typeof config['maxTokens'] === 'number') input.maxTokens = config['maxTokens'];
  if (isObject(config['jsonSchema'])) input.jsonSchema = config['jsonSchema'];
  return input;
}

export function AiSummary(props: { config: Record<string, unknown>; resolvedPrompt?: string }) {
  const catalog = useModelCatalog();
  const credentials = useCredentials();
  const estimate = useMemo(() => {
    if (!catalog.data) return undefined;
    const aiProviders = new Set(catalog.data.providers);
    const chosen = Array.isArray(props.config['credentialIds']) ? new Set(props.config['credentialIds'] as unknown[]) : undefined;
    const providers = new Set(
      (credentials.data?.items ?? []).filter((c) => aiProviders.has(c.provider) && c.status !== 'invalid' && (!chosen || chosen.has(c.id))).map((c) => c.provider),
    );
    return estimateAiCost(costInput(props.config, props.resolvedPrompt), catalog.data, providers);
  }, [catalog.data, credentials.data, props.config, props.resolvedPrompt]);

  if (catalog.isPending) return <section className="kf-insp-ai" aria-label="Model and cost"><p className="kf-insp-field__muted">Loading prices…</p></section>;
  if (catalog.isError) return <section className="kf-insp-ai" aria-label="Model and cost"><p className="kf-insp-field__error">Prices unavailable: {catalog.error.message}</p></section>;
  if (!estimate) return null;
  const tierSource = typeof props.config['tier'] === 'string' ? 'set on this node' : 'your default';
  return (
    <section className="kf-insp-ai" aria-label="Model and cost">
      <p className="kf-insp-ai__model">
        {estimate.mode === 'pinned' ? (
          <>Model: <strong>{String(props.config['model'])}</strong> (pinned)</>
        ) : (
          <>Tier: <strong>{estimate.tier}</strong> ({tierSource}){estimate.ok ? <>, cheapest fit today: {estimate.model.ref}</> : null}</>
        )}
      </p>
      {estimate.ok ? (
        <p className="kf-insp-ai__cost" data-cost-micros={estimate.costMicros}>
          Estimated cost per run: <strong>{formatUsd(estimate.costMicros)}</strong>
          <span className="kf-insp-field__muted">
            {' '}
            (about {estimate.promptTokens.toLocaleString('en-US')} prompt tokens and up to {estimate.maxTokens.toLocaleString('en-US')} output tokens; prices of {catalog.data.priceDate}
            {estimate.anyProvider ? '; you have no AI key yet, so every provider was considered' : ''})
          </span>
        </p>
      ) : (
        <p className="kf-insp-field__error">No estimate: {estimate.reason}.</p>
      )}
    </section>
  );
}
