// The costs page's "Saved" card. The headline is the quality rule's figure, the one the router
// routes by: each routed call went to the cheapest of the owner's models that a public benchmark
// shows at least as good as the model the call had to match (the node's model or its tier's
// reference), and is priced against that model for the same tokens. The baseline model's
// price-only difference follows as a secondary comparison, labelled as ignoring quality.
import { usd, type QualityMargin, type UsageReport } from './costs.api.ts';

const MARGIN_WORDS: Record<QualityMargin, string> = {
  equal: 'at least as good as',
  within_2pct: 'within 2% of',
  // Calls routed under "any capable" carry no reference; those counted ran under an earlier margin.
  any: 'at least as good as, or within 2% of,',
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function SavingsCard(props: { report: UsageReport; margin: QualityMargin | undefined; baselineModel: string | null }) {
  const { report } = props;
  const t = report.totals;
  const q = t.quality;
  const refs = report.qualityReferences;
  const margin = props.margin ?? 'equal';
  const words = MARGIN_WORDS[margin];
  const benchmarks = [...new Set(refs.flatMap((r) => r.benchmarks))];
  return (
    <section className="kf-costs__card kf-costs__saved" aria-labelledby="kf-costs-saved">
      <h2 id="kf-costs-saved">Saved (estimate)</h2>
      <p className={`kf-costs__figure${q.savedMicros < 0 ? ' kf-costs__figure--neg' : ''}`} data-testid="saved-usd" data-saved-micros={q.savedMicros}>
        {usd(q.savedMicros)}
      </p>
      {q.calls === 0 ? (
        <p className="kf-costs__small" data-testid="saved-method">
          No call this month was routed under the quality rule yet, so nothing is claimed. It counts calls whose node names a tier or a reference model; a pinned model is never substituted and never counted.
        </p>
      ) : (
        <p className="kf-costs__small" data-testid="saved-method">
          Estimate, quality rule: {q.calls} routed call{q.calls === 1 ? '' : 's'} went to the cheapest of your models {words} the model each had to match
          {benchmarks.length > 0 ? ` on ${list(benchmarks)}` : ' on public benchmarks'}, and {q.calls === 1 ? 'is' : 'are'} priced against that model for the same tokens ({usd(q.referenceCostMicros)}), minus what was paid ({usd(q.costMicros)}).
        </p>
      )}
      {margin === 'any' ? (
        <p className="kf-costs__small kf-costs__note" data-testid="saved-margin-any">
          Your quality margin is “any capable”: calls routed under it are not quality-checked and are not counted here.
        </p>
      ) : null}
      {refs.length > 0 ? (
        <table className="kf-costs__table kf-costs__refs" aria-label="Savings per reference model">
          <thead>
            <tr>
              <th scope="col">Reference model</th>
              <th scope="col">Calls</th>
              <th scope="col">Saved</th>
            </tr>
          </thead>
          <tbody>
            {refs.map((r) => (
              <tr key={r.ref} data-ref={r.ref}>
                <td title={r.benchmarks.length > 0 ? `Scored by ${list(r.benchmarks)}` : 'No benchmark scores this model'}>{r.ref}</td>
                <td>{r.calls}</td>
                <td className="kf-costs__money">{usd(r.savedMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details className="kf-costs__small">
        <summary>How this is measured</summary>
        <p data-testid="quality-basis">{report.qualitySavingsBasis}</p>
        <p>The reference is the model a node names (“at least as good as this one”), else its tier’s reference. Each step’s “why this model” names the benchmark measures that were compared.</p>
      </details>
      <div className="kf-costs__secondary" data-testid="price-only">
        <h3>Price only, not quality-checked</h3>
        {t.savedMicros === null || props.baselineModel === null ? (
          <p className="kf-costs__small">Set a baseline model under Settings to compare what every call would have cost on it.</p>
        ) : (
          <p className="kf-costs__small">
            Against your baseline model {props.baselineModel}: <span className="kf-costs__money" data-testid="price-only-usd" data-saved-micros={t.savedMicros}>{usd(t.savedMicros)}</span> ({usd(t.baselineCostMicros ?? 0)} at its list prices for the same tokens, minus {usd(t.costMicros)} paid), whether or not it is as good. Each call is compared with the baseline set when it ran: calls made before you set one count as $0.
          </p>
        )}
      </div>
    </section>
  );
}
