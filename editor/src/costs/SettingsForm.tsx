// The AI settings: monthly budget, baseline model (the price-only comparison), default tier,
// provider order, and the routing policy (issue 12): quality margin, preferred and excluded
// providers or models, data residency. The server validates; its field errors show beside each field.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import { qualityMargins, saveSettings, type Catalog, type QualityMargin, type Settings, type SettingsUpdate } from './costs.api.ts';

const TIERS = ['economy', 'balanced', 'premium'] as const;
const PROVIDERS = ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'] as const;
const PROVIDER_TITLES: Record<(typeof PROVIDERS)[number], string> = { openai: 'OpenAI', anthropic: 'Anthropic', deepseek: 'DeepSeek', gemini: 'Gemini', azure_openai: 'Azure OpenAI' };
const MARGIN_CHOICES: Record<QualityMargin, string> = {
  equal: 'At least as good as the reference model',
  within_2pct: 'Within 2% of the reference model',
  any: 'Any capable model: cheapest by price, no quality check (the rule before quality routing)',
};
/** Form fields the API's error paths (after `body.`) are shown on; the longest match wins. */
const FIELDS = ['monthlyBudgetUsd', 'baselineModel', 'defaultTier', 'providerOrder', 'routing.margin', 'routing.prefer', 'routing.exclude', 'routing.dataResidency.providers', 'routing.dataResidency.azureEndpoints', 'routing.dataResidency'] as const;

const splitList = (text: string, sep: RegExp) => text.split(sep).map((p) => p.trim()).filter(Boolean);

/** The API's field errors by form field: `body.routing.prefer.1` → `routing.prefer`, "item 2: …". */
export function fieldErrors(fields: { path: string; message: string }[]): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const f of fields) {
    const path = f.path.replace(/^body\.?/, '');
    const field = [...FIELDS].sort((a, b) => b.length - a.length).find((k) => path === k || path.startsWith(`${k}.`));
    if (!field) {
      rest.push(path ? `${path}: ${f.message}` : f.message);
      continue;
    }
    const tail = path.slice(field.length + 1).split('.')[0];
    const text = tail && /^\d+$/.test(tail) ? `item ${Number(tail) + 1}: ${f.message}` : f.message;
    byField[field] = byField[field] ? `${byField[field]}; ${text}` : text;
  }
  return { byField, rest };
}

export function SettingsForm(props: { settings: Settings; catalog: Catalog | undefined; onSaved(s: Settings): void; save?: (b: SettingsUpdate) => Promise<Settings> }) {
  const s = props.settings;
  const [budget, setBudget] = useState(s.monthlyBudgetUsd === null ? '' : String(s.monthlyBudgetUsd));
  const [baseline, setBaseline] = useState(s.baselineModel ?? '');
  const [tier, setTier] = useState<string>(s.defaultTier);
  const [order, setOrder] = useState(s.providerOrder.join(', '));
  const r = s.routing;
  const [margin, setMargin] = useState<string>(r.margin);
  const [prefer, setPrefer] = useState(r.prefer.join(', '));
  const [exclude, setExclude] = useState(r.exclude.join(', '));
  const [residency, setResidency] = useState<string[]>(r.dataResidency?.providers ?? []);
  const [endpoints, setEndpoints] = useState((r.dataResidency?.azureEndpoints ?? []).join('\n'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setBudget(s.monthlyBudgetUsd === null ? '' : String(s.monthlyBudgetUsd));
    setBaseline(s.baselineModel ?? '');
    setTier(s.defaultTier);
    setOrder(s.providerOrder.join(', '));
    setMargin(s.routing.margin);
    setPrefer(s.routing.prefer.join(', '));
    setExclude(s.routing.exclude.join(', '));
    setResidency(s.routing.dataResidency?.providers ?? []);
    setEndpoints((s.routing.dataResidency?.azureEndpoints ?? []).join('\n'));
  }, [s]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    setSaved(false);
    // Sent as typed: a budget that is not a number reaches the API as text, and its own error comes back.
    const budgetText = budget.trim();
    const budgetValue: unknown = budgetText === '' ? null : /^-?\d+(\.\d+)?$/.test(budgetText) ? Number(budgetText) : budgetText;
    const body = {
      monthlyBudgetUsd: budgetValue,
      baselineModel: baseline.trim() === '' ? null : baseline.trim(),
      defaultTier: tier,
      providerOrder: splitList(order, /,/),
      routing: {
        margin,
        prefer: splitList(prefer, /,/),
        exclude: splitList(exclude, /,/),
        // No provider ticked and no resource listed: no residency rule. Resources without a provider go as typed, for the API to say why.
        dataResidency: residency.length === 0 && endpoints.trim() === '' ? null : { providers: PROVIDERS.filter((p) => residency.includes(p)), azureEndpoints: splitList(endpoints, /[\n,]/) },
      },
    } as SettingsUpdate;
    try {
      const next = await (props.save ?? saveSettings)(body);
      setSaved(true);
      props.onSaved(next);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        const { byField, rest } = fieldErrors(err.fields);
        setErrors(byField);
        if (rest.length > 0) setMessage(rest.join('; '));
      } else setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="kf-costs__settings" onSubmit={submit} noValidate aria-labelledby="kf-costs-settings">
      <h2 id="kf-costs-settings">Settings</h2>
      <Field label="Monthly budget (USD)" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} error={errors.monthlyBudgetUsd} hint="Empty for no budget." />
      <Field label="Baseline model" list="kf-baseline-models" value={baseline} onChange={(e) => setBaseline(e.target.value)} error={errors.baselineModel} placeholder="openai/gpt-4o" hint="For the price-only comparison on the Saved card, from the calls made after you set it. The quality-rule saving does not use it. Empty: no price-only figure." />
      <datalist id="kf-baseline-models">
        {props.catalog?.models.map((m) => (
          <option key={m.ref} value={m.ref} />
        ))}
      </datalist>
      <div className="kf-field">
        <label htmlFor="kf-default-tier">Default tier</label>
        <select id="kf-default-tier" className="kf-input" value={tier} onChange={(e) => setTier(e.target.value)} aria-invalid={errors.defaultTier ? true : undefined}>
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {errors.defaultTier ? <span className="kf-field-error">{errors.defaultTier}</span> : null}
      </div>
      <Field label="Provider order" value={order} onChange={(e) => setOrder(e.target.value)} error={errors.providerOrder} hint={`Comma-separated, first preferred: ${PROVIDERS.join(', ')}.`} />
      <h3 className="kf-costs__subhead">Routing policy</h3>
      <div className="kf-field">
        <label htmlFor="kf-quality-margin">Quality margin</label>
        <select id="kf-quality-margin" className="kf-input" value={margin} onChange={(e) => setMargin(e.target.value)} aria-invalid={errors['routing.margin'] ? true : undefined} aria-describedby="kf-quality-margin-hint">
          {qualityMargins.map((m) => (
            <option key={m} value={m}>
              {MARGIN_CHOICES[m]}
            </option>
          ))}
        </select>
        {errors['routing.margin'] ? (
          <span className="kf-field-error">{errors['routing.margin']}</span>
        ) : (
          <span id="kf-quality-margin-hint" className="kf-hint">
            How a routed call's model must compare, on public benchmark scores for its task, with the model it has to match (the node's reference model or its tier's). A pinned model is never substituted.
          </span>
        )}
      </div>
      <Field label="Preferred providers or models" value={prefer} onChange={(e) => setPrefer(e.target.value)} error={errors['routing.prefer']} placeholder="anthropic, openai/gpt-4.1-mini" hint="Comma-separated providers or provider/model; tried first among the models that pass the quality margin." />
      <Field label="Excluded providers or models" value={exclude} onChange={(e) => setExclude(e.target.value)} error={errors['routing.exclude']} placeholder="deepseek" hint="Comma-separated; never used for a routed call." />
      <fieldset className="kf-field kf-costs__fieldset" aria-describedby="kf-residency-hint">
        <legend>Data residency: only these providers</legend>
        <div className="kf-costs__checks">
          {PROVIDERS.map((p) => (
            <label key={p} className="kf-check">
              <input type="checkbox" checked={residency.includes(p)} onChange={(e) => setResidency((cur) => (e.target.checked ? [...cur, p] : cur.filter((x) => x !== p)))} />
              {PROVIDER_TITLES[p]}
            </label>
          ))}
        </div>
        {errors['routing.dataResidency.providers'] || errors['routing.dataResidency'] ? (
          <span className="kf-field-error">{[errors['routing.dataResidency.providers'], errors['routing.dataResidency']].filter(Boolean).join('; ')}</span>
        ) : (
          <span id="kf-residency-hint" className="kf-hint">
            None ticked: no residency rule. Ticked: every AI call uses only your keys of these providers (for Azure, only the resources below).
          </span>
        )}
      </fieldset>
      <div className="kf-field">
        <label htmlFor="kf-azure-endpoints">Allowed Azure resources</label>
        <textarea id="kf-azure-endpoints" className="kf-input kf-costs__textarea" rows={2} value={endpoints} onChange={(e) => setEndpoints(e.target.value)} placeholder="https://my-eu.openai.azure.com" aria-invalid={errors['routing.dataResidency.azureEndpoints'] ? true : undefined} aria-describedby="kf-azure-endpoints-hint" />
        {errors['routing.dataResidency.azureEndpoints'] ? (
          <span className="kf-field-error">{errors['routing.dataResidency.azureEndpoints']}</span>
        ) : (
          <span id="kf-azure-endpoints-hint" className="kf-hint">
            One a line; needed when Azure OpenAI is ticked above (e.g. only your EU deployments).
          </span>
        )}
      </div>
      {message ? (
        <p role="alert" className="kf-alert">
          {message}
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="kf-hint">
          Saved.
        </p>
      ) : null}
      <button type="submit" className="kf-button kf-button--primary" disabled={busy}>
        Save settings
      </button>
    </form>
  );
}
