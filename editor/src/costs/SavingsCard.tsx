// The costs page's "Saved" card. The headline is the quality rule's figure, the rule the router
// routes by: each routed call went to the cheapest of the owner's models that public benchmark
// scores show at least as good as the model the call had to match (the node's reference model or
// its tier's), and is priced against that model for the same tokens. The baseline model's
// price-only difference follows as a secondary comparison, labelled as not quality-checked.
import { usd, type QualityMargin, type UsageReport } from './costs.api.ts';

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function SavingsCard(props: { report: UsageReport; margin: QualityMargin | undefined; baselineModel: string | null }) {
  const { report } = props;
  const t = report.totals;
  const q = t.quality;
  const refs = report.qualityReferences;
  const only = refs.length === 1 ? refs[0] : undefined;
  return (
    <section className="kf-costs__card kf-costs__saved" aria-labelledby="kf-costs-saved">
      <div className="kf-costs__saved-main">
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
            Estimate, quality rule: {q.calls} routed call{q.calls === 1 ? '' : 's'} went to the cheapest of your models that public benchmark scores for the call’s task show at least as good as the model it had to match
            {only ? ` (${only.ref}${only.benchmarks.length > 0 ? `, scored by ${list(only.benchmarks)}` : ''})` : ''}, within the quality margin of the time, and {q.calls === 1 ? 'is' : 'are'} priced against that model for the same tokens ({usd(q.referenceCostMicros)}), minus what was paid ({usd(q.costMicros)}).
          </p>
        )}
        {props.margin === 'any' ? (
          <p className="kf-costs__small kf-costs__note" data-testid="saved-margin-any">
            Your quality margin is “any capable”: calls routed under it are not quality-checked and are not counted here.
          </p>
        ) : null}
        <details className="kf-costs__small">
          <summary>How this is measured</summary>
          <p data-testid="quality-basis">{report.qualitySavingsBasis}</p>
          <p>The model a call had to match is the one its node names (“at least as good as this one”), else its tier’s reference model. Each step’s “Why this model?” names the benchmark measures compared for its task.</p>
        </details>
      </div>
      <div className="kf-costs__secondary" data-testid="price-only">
        <h3>Price only, not quality-checked</h3>
        {t.savedMicros === null || props.baselineModel === null ? (
          <p className="kf-costs__small">Set a baseline model under Settings to compare what every call would have cost on it.</p>
        ) : (
          <p className="kf-costs__small">
            Against your baseline model {props.baselineModel}:{' '}
            <span className="kf-costs__money" data-testid="price-only-usd" data-saved-micros={t.savedMicros}>
              {usd(t.savedMicros)}
            </span>{' '}
            ({usd(t.baselineCostMicros ?? 0)} at its list prices for the same tokens, minus {usd(t.costMicros)} paid), whether or not it is as good. Each call is compared with the baseline set when it ran: calls made before you set one count as $0.
          </p>
        )}
      </div>
      {refs.length > 0 ? (
        <table className="kf-costs__table kf-costs__refs" aria-label="Savings per reference model">
          <thead>
            <tr>
              <th scope="col">Reference model</th>
              <th scope="col">Scored by</th>
              <th scope="col">Calls</th>
              <th scope="col">Saved</th>
            </tr>
          </thead>
          <tbody>
            {refs.map((r) => (
              <tr key={r.ref} data-ref={r.ref}>
                <td>{r.ref}</td>
                <td>{r.benchmarks.length > 0 ? list(r.benchmarks) : 'no benchmark scores it'}</td>
                <td>{r.calls}</td>
                <td className="kf-costs__money">{usd(r.savedMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
