// For AI nodes: a pinned model and its estimated cost from the price table, or, for a tier or a
// reference model, the model the router would choose with the owner's keys and routing policy
// (GET /api/catalog/route-preview, debounced), its estimated cost per run and why.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { isObject } from './field-kind.ts';
import { estimateAiCost, formatUsd, type AiCostInput } from './estimate-ai-cost.ts';
import { useCredentials, useModelCatalog, type Tier } from './inspector-queries.ts';
import { noRouteAdvice, providerTitle, routePreviewQuery, type RoutePreview } from './route-preview.ts';
import { useDebounced } from '../app/use-debounced.ts';

const DEBOUNCE_MS = 300;


/** The router's choice for a tier or reference model, from the server (the owner's keys, policy and scores). */
function RoutedSummary(props: { config: Record<string, unknown>; resolvedPrompt?: string }) {
  const query = useDebounced(routePreviewQuery(props.config, props.resolvedPrompt) ?? '', DEBOUNCE_MS);
  const credentials = useCredentials();
  // The answer depends on the owner's keys: a key added or removed (the credentials query) asks again.
  const keys = (credentials.data?.items ?? []).map((c) => `${c.id}:${c.status}`).join(',');
  const preview = useQuery({
    queryKey: ['route-preview', query, keys],
    queryFn: ({ signal }) => api<RoutePreview>('GET', `/api/catalog/route-preview?${query}`, undefined, { signal }),
    enabled: !credentials.isPending,
    staleTime: 10_000,
    placeholderData: (previous) => previous,
  });
  const section = (children: React.ReactNode) => (
    <section className="kf-insp-ai" aria-label="Model and cost" aria-busy={preview.isFetching || undefined}>
      {children}
    </section>
  );
  if (preview.isPending) return section(<p className="kf-insp-field__muted">Asking the router…</p>);
  if (preview.isError) return section(<p className="kf-insp-field__error">No route preview: {preview.error.message}</p>);
  const p = preview.data;
  const referenceModel = typeof props.config['referenceModel'] === 'string' ? (props.config['referenceModel'] as string) : undefined;
  const tierSource = typeof props.config['tier'] === 'string' ? 'set on this node' : 'your default';
  if (!p.chosen) {
    const aiKeys = (credentials.data?.items ?? []).filter((c) => c.status !== 'invalid' && ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'].includes(c.provider)).length;
    return section(
      <>
        <p className="kf-insp-ai__model">
          Tier: <strong>{p.tier}</strong> ({tierSource}), task {p.task}: no model can serve this node yet.
        </p>
        <p className="kf-insp-field__error" role="status" data-testid="route-advice">
          {noRouteAdvice(p, aiKeys, referenceModel)}
        </p>
        <p className="kf-insp-field__muted">Router: {p.why}</p>
      </>,
    );
  }
  const chosen = `${p.chosen.provider}/${p.chosen.model}`;
  return section(
    <>
      <p className="kf-insp-ai__model">
        Runs on <strong data-testid="route-model">{chosen}</strong> ({providerTitle(p.chosen.provider)}) — task {p.task}, tier {p.tier} ({tierSource})
      </p>
      <p className="kf-insp-ai__cost" data-cost-micros={p.chosen.expectedCostMicros}>
        Estimated cost per run: <strong>{formatUsd(p.chosen.expectedCostMicros)}</strong>
        <span className="kf-insp-field__muted">
          {' '}
          (about {p.assumed.promptTokens.toLocaleString('en-US')} prompt tokens and up to {p.assumed.maxTokens.toLocaleString('en-US')} output tokens; prices of {p.priceDate})
        </span>
      </p>
      <details className="kf-insp-ai__why">
        <summary>Why this model?</summary>
        <p>{p.why}.</p>
        <p>
          Reference: {p.reference.ref} ({p.reference.origin}){p.reference.expectedCostMicros !== null ? `, ${formatUsd(p.reference.expectedCostMicros)} a run` : ''}; quality margin: {p.marginLabel}.
        </p>
        <table aria-label="Route candidates">
          <thead>
            <tr>
              <th>Model</th>
              <th>Cost a run</th>
              <th>Verdict</th>
            </tr>
          </thead>
          <tbody>
            <tr data-candidate="chosen">
              <td>{chosen}</td>
              <td>{formatUsd(p.chosen.expectedCostMicros)}</td>
              <td>chosen{p.chosen.scores.length > 0 ? `: ${p.chosen.scores.map((s) => `${s.value} vs ${s.reference} on ${s.benchmark}`).join('; ')}` : ''}</td>
            </tr>
            {p.fallbacks.map((f) => (
              <tr key={`${f.provider}/${f.model}`} data-candidate="fallback">
                <td>{`${f.provider}/${f.model}`}</td>
                <td>{formatUsd(f.expectedCostMicros)}</td>
                <td>fallback if it fails</td>
              </tr>
            ))}
            {p.rejected.map((r) => (
              <tr key={`${r.provider}/${r.model}`} data-candidate="rejected">
                <td>{`${r.provider}/${r.model}`}</td>
                <td>{formatUsd(r.expectedCostMicros)}</td>
                <td>refused: {r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="kf-insp-field__muted">{p.candidateCount} model(s) on your keys qualify. Change the margin and providers under Costs → settings.</p>
      </details>
    </>,
  );
}

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
  if (routePreviewQuery(props.config, props.resolvedPrompt) !== undefined) return <RoutedSummary {...props} />;
  return <PinnedSummary {...props} />;
}

/** A pinned model (never substituted): its cost from the price table. */
function PinnedSummary(props: { config: Record<string, unknown>; resolvedPrompt?: string }) {
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
