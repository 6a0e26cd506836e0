// Alert settings: which events alert you (workflow failures, budget thresholds, invalid keys,
// long provider cool-downs) and where (email, a Slack connection, a signed webhook). The server
// validates; its field errors show under the form. The webhook secret is write-only.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { errorMessage, Field } from '../app/Field.tsx';
import type { Credential } from '../keys/keys.api.ts';
import { saveAlertSettings, type AlertSettings } from './activity.api.ts';

function Check(props: { label: string; checked: boolean; onChange(v: boolean): void; name: string }) {
  return (
    <label className="kf-activity__check">
      <input type="checkbox" name={props.name} checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} /> {props.label}
    </label>
  );
}

const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v);

export function AlertSettingsForm(props: { settings: AlertSettings; slackConnections: Credential[]; onSaved(s: AlertSettings): void }) {
  const [s, setS] = useState(props.settings);
  const [count, setCount] = useState(String(props.settings.workflowFailures.count));
  const [minutes, setMinutes] = useState(String(props.settings.workflowFailures.minutes));
  const [thresholds, setThresholds] = useState(props.settings.budget.thresholds.join(', '));
  const [coolMinutes, setCoolMinutes] = useState(String(props.settings.providerCooldown.minutes));
  const [secret, setSecret] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setS(props.settings), [props.settings]);
  const set = <K extends keyof AlertSettings>(k: K, patch: Partial<AlertSettings[K] & object>) => setS((cur) => ({ ...cur, [k]: { ...(cur[k] as object), ...patch } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    setSaved(false);
    const body = {
      email: { enabled: s.email.enabled, to: s.email.to?.trim() ? s.email.to.trim() : null },
      slack: { enabled: s.slack.enabled, credentialId: s.slack.credentialId || null, channel: s.slack.channel?.trim() || null },
      webhook: { enabled: s.webhook.enabled, url: s.webhook.url?.trim() || null, ...(secret ? { secret } : {}) },
      workflowFailures: { enabled: s.workflowFailures.enabled, mode: s.workflowFailures.mode, count: num(count), minutes: num(minutes) },
      budget: { enabled: s.budget.enabled, thresholds: thresholds.split(',').map((t) => num(t)).filter((t) => t !== '') },
      credentialInvalid: { enabled: s.credentialInvalid.enabled },
      providerCooldown: { enabled: s.providerCooldown.enabled, minutes: num(coolMinutes) },
    };
    try {
      const next = await saveAlertSettings(body);
      setSecret('');
      setSaved(true);
      props.onSaved(next);
    } catch (err) {
      setMessage(err instanceof ApiError && err.fields.length > 0 ? err.fields.map((f) => `${f.path.replace(/^body\./, '')}: ${f.message}`).join('; ') : errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="kf-activity__form" onSubmit={(e) => void submit(e)} aria-labelledby="kf-alerts-title">
      <h2 id="kf-alerts-title">Alerts</h2>
      <fieldset>
        <legend>Alert me when</legend>
        <Check name="workflowFailures" label="a workflow fails" checked={s.workflowFailures.enabled} onChange={(v) => set('workflowFailures', { enabled: v })} />
        <div className="kf-activity__row">
          <label>
            <input type="radio" name="failureMode" checked={s.workflowFailures.mode === 'first'} onChange={() => set('workflowFailures', { mode: 'first' })} /> at the first failure
          </label>
          <label>
            <input type="radio" name="failureMode" checked={s.workflowFailures.mode === 'threshold'} onChange={() => set('workflowFailures', { mode: 'threshold' })} /> after N failures
          </label>
          {s.workflowFailures.mode === 'threshold' && <Field label="N failures" value={count} onChange={(e) => setCount(e.target.value)} inputMode="numeric" />}
          <Field label="within (minutes)" value={minutes} onChange={(e) => setMinutes(e.target.value)} inputMode="numeric" hint="one alert per workflow in this window" />
        </div>
        <Check name="budget" label="AI spend reaches a share of the monthly budget" checked={s.budget.enabled} onChange={(v) => set('budget', { enabled: v })} />
        <Field label="Thresholds (% of budget)" value={thresholds} onChange={(e) => setThresholds(e.target.value)} hint="e.g. 80, 100; the budget is set on the Costs page" />
        <Check name="credentialInvalid" label="a key or connection stops working" checked={s.credentialInvalid.enabled} onChange={(v) => set('credentialInvalid', { enabled: v })} />
        <Check name="providerCooldown" label="an AI provider stays in cool-down" checked={s.providerCooldown.enabled} onChange={(v) => set('providerCooldown', { enabled: v })} />
        <Field label="for at least (minutes)" value={coolMinutes} onChange={(e) => setCoolMinutes(e.target.value)} inputMode="numeric" />
      </fieldset>
      <fieldset>
        <legend>Send alerts by</legend>
        <Check name="email" label={s.email.configured ? 'email' : 'email (this server has no SMTP configured)'} checked={s.email.enabled} onChange={(v) => set('email', { enabled: v })} />
        <Field label="Email address" type="email" value={s.email.to ?? ''} placeholder="your account's address" onChange={(e) => set('email', { to: e.target.value })} />
        <Check name="slack" label="Slack message" checked={s.slack.enabled} onChange={(v) => set('slack', { enabled: v })} />
        <div className="kf-field">
          <label htmlFor="kf-alert-slack">Slack connection</label>
          <select id="kf-alert-slack" className="kf-input" value={s.slack.credentialId ?? ''} onChange={(e) => set('slack', { credentialId: e.target.value || null })}>
            <option value="">{props.slackConnections.length ? 'Choose…' : 'No Slack connection yet (Keys page)'}</option>
            {props.slackConnections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <Field label="Slack channel" value={s.slack.channel ?? ''} placeholder="C0123ABCD or #alerts" onChange={(e) => set('slack', { channel: e.target.value })} />
        <Check name="webhook" label="signed webhook" checked={s.webhook.enabled} onChange={(v) => set('webhook', { enabled: v })} />
        <Field label="Webhook URL" value={s.webhook.url ?? ''} placeholder="https://…" onChange={(e) => set('webhook', { url: e.target.value })} />
        <Field label="Signing secret" type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} hint={s.webhook.hasSecret ? 'a secret is set; type a new one to replace it' : 'HMAC-SHA256 key for X-Keyflow-Signature (16+ characters)'} />
      </fieldset>
      {message && (
        <p role="alert" className="kf-alert">
          {message}
        </p>
      )}
      {saved && <p className="kf-hint" role="status">Saved.</p>}
      <button type="submit" className="kf-button" disabled={busy}>
        {busy ? 'Saving…' : 'Save alerts'}
      </button>
    </form>
  );
}
