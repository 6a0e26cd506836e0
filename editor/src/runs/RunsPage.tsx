// Every workflow's runs (/runs): the same history as the editor's Runs tab; opening a run goes
// to its workflow with ?run=<id>, which shows it on the canvas of the version it ran on.
import { navigate } from '../app/router.tsx';
import { RunHistory } from './RunsPanel.tsx';
import './runs.css';

export function RunsPage() {
  return (
    <div className="kf-runs kf-runs-page" style={{ maxWidth: 960, margin: '24px auto', padding: '0 16px' }}>
      <h1>All runs</h1>
      <RunHistory onOpen={(r) => navigate(`/workflows/${encodeURIComponent(r.workflowId)}?run=${encodeURIComponent(r.id)}`)} />
    </div>
  );
}
