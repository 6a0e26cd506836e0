// Costs (/costs): this month's spend per day, per provider, per model and per workflow, the
// budget used versus set (warning colour past 80%), savings under the quality rule (an estimate,
// with its method stated; the baseline model's price-only figure beside it), the price table's date, and the settings behind them.
import { lazy, Suspense, useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../app/Field.tsx';
import { SavingsCard } from './SavingsCard.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import { budgetState, daysOfMonth, settingsKey, usageKey, usd, useCatalog, useSettings, useUsage, type GroupBy, type UsageReport } from './costs.api.ts';
import './costs.css';

// The charting library is fetched only when a chart is about to draw.
const BarChart = lazy(() => import('./BarChart.tsx'));

export default function CostsPage() {
  const client = useQueryClient();
  const byDay = useUsage('day');
  const settings = useSettings();
  const catalog = useCatalog();
  if (byDay.isPending || settings.isPending) return <div className="kf-loading">Loading costs…</div>;
  if (byDay.isError || settings.isError) {
    return (
      <div role="alert" className="kf-alert">
        Could not load costs: {errorMessage(byDay.error ?? settings.error)}
      </div>
    );
  }
  const report = byDay.data;
  const t = report.totals;
  return (
    <div className="kf-costs">
      <h1>Costs</h1>
      <p className="kf-costs__lead">
        {report.budget.month} (UTC). Prices from the price table dated <strong data-testid="price-date">{catalog.data?.priceDate ?? '…'}</strong>.
      </p>
      <div className="kf-costs__cards kf-costs__cards--two">
        <section className="kf-costs__card" aria-labelledby="kf-costs-spent">
          <h2 id="kf-costs-spent">Spent this month</h2>
          <p className="kf-costs__figure" data-testid="spent-usd">
            {usd(report.budget.spentMicros)}
          </p>
          <p className="kf-costs__small">
            {t.calls} call{t.calls === 1 ? '' : 's'} · {t.tokens.input + t.tokens.cacheRead + t.tokens.cacheWrite} input tokens · {t.tokens.output} output tokens
          </p>
        </section>
        <Budget budget={report.budget} />
        <SavingsCard report={report} margin={settings.data.routing?.margin} baselineModel={settings.data.baselineModel} />
      </div>

      <ChartSection title="Spend per day" report={report} groupBy="day" />
      <GroupedChart title="Per provider" groupBy="provider" />
      <GroupedChart title="Per model" groupBy="model" />
      <GroupedChart title="Per workflow" groupBy="workflow" />

      <SettingsForm
        settings={settings.data}
        catalog={catalog.data}
        onSaved={(s) => {
          client.setQueryData(settingsKey, s);
          void client.invalidateQueries({ queryKey: usageKey });
        }}
      />
    </div>
  );
}

function Budget(props: { budget: UsageReport['budget'] }) {
  const b = props.budget;
  const state = budgetState(b);
  const tone = state.over ? 'over' : state.warn ? 'warn' : 'ok';
  return (
    <section className={`kf-costs__card kf-costs__budget kf-costs__budget--${b.monthlyBudgetMicros === null ? 'none' : tone}`} aria-labelledby="kf-costs-budget" data-budget-state={b.monthlyBudgetMicros === null ? 'none' : tone}>
      <h2 id="kf-costs-budget">Budget</h2>
      {b.monthlyBudgetMicros === null ? (
        <p className="kf-costs__small">No monthly budget set (below, under Settings).</p>
      ) : (
        <>
          <p className="kf-costs__figure">
            {Math.round((state.ratio ?? 0) * 1000) / 10}% <span className="kf-costs__small">of {usd(b.monthlyBudgetMicros)}</span>
          </p>
          <div className="kf-costs__meter" role="meter" aria-label="Budget used" aria-valuemin={0} aria-valuemax={b.monthlyBudgetMicros} aria-valuenow={Math.min(b.spentMicros, b.monthlyBudgetMicros)} aria-valuetext={`${usd(b.spentMicros)} of ${usd(b.monthlyBudgetMicros)}`}>
            <div className="kf-costs__meter-fill" style={{ width: `${Math.min(100, (state.ratio ?? 0) * 100)}%` }} />
          </div>
          <p className="kf-costs__small">{state.over ? 'Over budget.' : state.warn ? 'More than 80% used.' : `${usd(b.remainingMicros ?? 0)} left.`}</p>
        </>
      )}
    </section>
  );
}

function GroupedChart(props: { title: string; groupBy: GroupBy }) {
  const q = useUsage(props.groupBy);
  if (q.isPending) return <section className="kf-costs__section"><h2>{props.title}</h2><p className="kf-costs__small">Loading…</p></section>;
  if (q.isError) return <section className="kf-costs__section"><h2>{props.title}</h2><p role="alert" className="kf-alert">{q.error.message}</p></section>;
  return <ChartSection title={props.title} report={q.data} groupBy={props.groupBy} />;
}

function ChartSection(props: { title: string; report: UsageReport; groupBy: GroupBy }) {
  const rows = useMemo(() => {
    if (props.groupBy === 'day') return daysOfMonth(props.report).map((d) => ({ key: d.day, label: d.day.slice(8), micros: d.micros, calls: undefined as number | undefined }));
    return props.report.buckets.map((b) => ({ key: b.key, label: b.label, micros: b.costMicros, calls: b.calls as number | undefined }));
  }, [props.report, props.groupBy]);
  const labels = useMemo(() => rows.map((r) => r.label), [rows]);
  const micros = useMemo(() => rows.map((r) => r.micros), [rows]);
  const id = `kf-costs-${props.groupBy}`;
  const tableRows = props.groupBy === 'day' ? props.report.buckets.map((b) => ({ key: b.key, label: b.key, micros: b.costMicros, calls: b.calls as number | undefined })) : rows;
  return (
    <section className="kf-costs__section" aria-labelledby={id} data-group-by={props.groupBy}>
      <h2 id={id}>{props.title}</h2>
      {tableRows.length === 0 ? (
        <p className="kf-costs__small">No spend this month yet.</p>
      ) : (
        <>
          <Suspense fallback={<div className="kf-costs__chart kf-costs__chart--loading">Loading chart…</div>}>
            <BarChart labels={labels} micros={micros} />
          </Suspense>
          <table className="kf-costs__table">
            <thead>
              <tr>
                <th scope="col">{props.groupBy === 'day' ? 'Day' : props.groupBy === 'workflow' ? 'Workflow' : props.groupBy === 'model' ? 'Model' : 'Provider'}</th>
                <th scope="col">Calls</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {tableRows.map((r) => (
                <tr key={r.key} data-key={r.key}>
                  <td>{r.label}</td>
                  <td>{r.calls ?? ''}</td>
                  <td className="kf-costs__money">{usd(r.micros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
