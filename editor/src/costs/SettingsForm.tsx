// The AI settings: monthly budget, baseline model (what savings are measured against), default
// tier and provider order. The server validates; its field errors show beside each field.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import { saveSettings, type Catalog, type Settings, type SettingsUpdate } from './costs.api.ts';

const TIERS = ['economy', 'balanced', 'premium'] as const;
const PROVIDERS = ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'] as const;

export function SettingsForm(props: { settings: Settings; catalog: Catalog | undefined; onSaved(s: Settings): void; save?: (b: SettingsUpdate) => Promise<Settings> }) {
  const s = props.settings;
  const [budget, setBudget] = useState(s.monthlyBudgetUsd === null ? '' : String(s.monthlyBudgetUsd));
  const [baseline, setBaseline] = useState(s.baselineModel ?? '');
  const [tier, setTier] = useState<string>(s.defaultTier);
  const [order, setOrder] = useState(s.providerOrder.join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setBudget(s.monthlyBudgetUsd === null ? '' : String(s.monthlyBudgetUsd));
    setBaseline(s.baselineModel ?? '');
    setTier(s.defaultTier);
    setOrder(s.providerOrder.join(', '));
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
      providerOrder: order.split(',').map((p) => p.trim()).filter(Boolean),
    } as SettingsUpdate;
    try {
      const next = await (props.save ?? saveSettings)(body);
      setSaved(true);
      props.onSaved(next);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        const out: Record<string, string> = {};
        const rest: string[] = [];
        for (const f of err.fields) {
          const [, field, ...tail] = f.path.split('.');
          if (field && ['monthlyBudgetUsd', 'baselineModel', 'defaultTier', 'providerOrder'].includes(field)) {
            out[field] = out[field] ? `${out[field]}; ${f.message}` : tail.length > 0 ? `item ${Number(tail[0]) + 1}: ${f.message}` : f.message;
          } else rest.push(f.message);
        }
        setErrors(out);
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
      <Field label="Baseline model" list="kf-baseline-models" value={baseline} onChange={(e) => setBaseline(e.target.value)} error={errors.baselineModel} placeholder="openai/gpt-4o" hint="Savings are estimated against this model for the same calls. Empty: no savings claimed." />
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
