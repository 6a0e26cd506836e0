// Activity (/activity): runs and failures per hour over the last day, AI spend, the health of
// your keys, the latest alerts, and the alert settings. The chart library loads lazily (the
// costs page's uPlot chart).
import { lazy, Suspense, useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../app/Field.tsx';
import { usd } from '../costs/costs.api.ts';
import { useCredentialList } from '../keys/keys.api.ts';
import { AlertSettingsForm } from './AlertSettingsForm.tsx';
import { alertSettingsKey, useActivity, useAlerts, useAlertSettings } from './activity.api.ts';
import '../costs/costs.css';
import './activity.css';

const BarChart = lazy(() => import('../costs/BarChart.tsx'));
// Whole runs only: uPlot also asks for labels between them.
const count = (n: number) => (Number.isInteger(n) ? String(n) : '');

export default function ActivityPage() {
  const client = useQueryClient();
  const activity = useActivity(24);
  const settings = useAlertSettings();
  const alerts = useAlerts();
  const keys = useCredentialList();
  const labels = useMemo(() => (activity.data?.hours ?? []).map((h) => h.hour.slice(11, 13)), [activity.data]);
  const runs = useMemo(() => (activity.data?.hours ?? []).map((h) => h.runs), [activity.data]);
  const failed = useMemo(() => (activity.data?.hours ?? []).map((h) => h.failed), [activity.data]);
  if (activity.isPending || settings.isPending) return <div className="kf-loading">Loading activity…</div>;
  if (activity.isError || settings.isError) {
    return (
      <div role="alert" className="kf-alert">
        Could not load activity: {errorMessage(activity.error ?? settings.error)}
      </div>
    );
  }
  const a = activity.data;
  const health = Object.entries(a.health);
  return (
    <div className="kf-costs kf-activity">
      <h1>Activity</h1>
      <p className="kf-costs__lead">The last 24 hours (UTC hours).</p>
      <div className="kf-costs__cards">
        <section className="kf-costs__card" aria-labelledby="kf-act-runs">
          <h2 id="kf-act-runs">Runs</h2>
          <p className="kf-costs__figure" data-testid="activity-runs">{a.totals.runs}</p>
        </section>
        <section className="kf-costs__card" aria-labelledby="kf-act-failed">
          <h2 id="kf-act-failed">Failures</h2>
          <p className={`kf-costs__figure${a.totals.failed ? ' kf-costs__figure--neg' : ''}`} data-testid="activity-failed">{a.totals.failed}</p>
        </section>
        <section className="kf-costs__card" aria-labelledby="kf-act-spend">
          <h2 id="kf-act-spend">AI spend</h2>
          <p className="kf-costs__figure">{usd(a.totals.costMicros)}</p>
        </section>
        <section className="kf-costs__card" aria-labelledby="kf-act-health">
          <h2 id="kf-act-health">Keys</h2>
          {health.length === 0 ? <p className="kf-costs__small">No keys yet.</p> : (
            <ul className="kf-activity__health">
              {health.map(([h, n]) => (
                <li key={h} data-health={h}>{n} {h.replace('_', ' ')}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="kf-costs__section" aria-labelledby="kf-act-chart">
        <h2 id="kf-act-chart">Runs per hour</h2>
        <Suspense fallback={<div className="kf-costs__chart kf-costs__chart--loading">Loading chart…</div>}>
          <BarChart labels={labels} micros={runs} format={count} />
        </Suspense>
        <h2>Failures per hour</h2>
        <Suspense fallback={<div className="kf-costs__chart kf-costs__chart--loading">Loading chart…</div>}>
          <BarChart labels={labels} micros={failed} format={count} color="#dc2626" height={140} />
        </Suspense>
      </section>
      <section className="kf-costs__section" aria-labelledby="kf-act-alerts">
        <h2 id="kf-act-alerts">Latest alerts</h2>
        {!alerts.data || alerts.data.items.length === 0 ? <p className="kf-costs__small">No alerts yet.</p> : (
          <table className="kf-costs__table">
            <thead>
              <tr><th scope="col">When</th><th scope="col">Alert</th><th scope="col">Sent to</th><th scope="col">Repeats held back</th></tr>
            </thead>
            <tbody>
              {alerts.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.createdAt).toLocaleString()}</td>
                  <td>{e.link ? <a href={e.link}>{e.subject}</a> : e.subject}</td>
                  <td>{e.deliveries.map((d) => `${d.channel}${d.ok ? '' : ' (failed)'}`).join(', ') || '—'}</td>
                  <td>{e.suppressed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AlertSettingsForm settings={settings.data} slackConnections={(keys.data?.items ?? []).filter((k) => k.provider === 'slack')} onSaved={(s) => client.setQueryData(alertSettingsKey, s)} />
    </div>
  );
}
