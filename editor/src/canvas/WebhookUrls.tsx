// A webhook trigger's production and test URLs (GET /api/workflows/:id/webhooks), with copy
// buttons. The server creates them on save, so an unsaved trigger says so. A form (core.form) or
// chat (core.chat) trigger is served at the same URLs: they are its page's addresses.
import { useQuery } from '@tanstack/react-query';
import { useEditorStore } from '../store/editor-store.ts';
import { listWebhooks, webhooksKey } from './workflow-api.ts';

function CopyRow(props: { label: string; url: string }) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.url);
      useEditorStore.getState().toast('info', `${props.label} copied.`);
    } catch {
      useEditorStore.getState().toast('error', 'The browser refused to copy: select the URL and copy it by hand.');
    }
  }
  return (
    <div className="kf-url-row">
      <span className="kf-url-label">{props.label}</span>
      <input className="kf-input kf-url" readOnly value={props.url} aria-label={props.label} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="kf-button kf-button--small" onClick={() => void copy()} aria-label={`Copy ${props.label.toLowerCase()}`}>
        Copy
      </button>
    </div>
  );
}

const WHAT: Record<string, { noun: string; hint: string }> = {
  'core.form': { noun: 'form', hint: 'Open the URL in a browser to see the form; each submission starts a run.' },
  'core.chat': { noun: 'chat', hint: 'Open the URL in a browser to chat, or POST {"sessionId", "message"} to it from your own page or app; the answer is {"reply", "runId"}.' },
};

export function WebhookUrlsView(props: { workflowId: string; nodeId: string; nodeType?: string }) {
  const hooks = useQuery({ queryKey: webhooksKey(props.workflowId), queryFn: () => listWebhooks(props.workflowId) });
  const what = WHAT[props.nodeType ?? ''] ?? { noun: 'webhook', hint: '' };
  if (hooks.isPending) return <p className="kf-muted">Loading the {what.noun} URLs…</p>;
  if (hooks.isError) return <p className="kf-alert">Could not load the {what.noun} URLs: {hooks.error.message}</p>;
  const hook = hooks.data.find((h) => h.nodeId === props.nodeId);
  if (!hook) return <p className="kf-alert kf-alert--info">Save the workflow to get this {what.noun}'s URLs.</p>;
  return (
    <section className="kf-webhook-urls" aria-label={`${what.noun[0]!.toUpperCase()}${what.noun.slice(1)} URLs`}>
      <CopyRow label="Production URL" url={hook.url} />
      <CopyRow label="Test URL" url={hook.testUrl} />
      <p className="kf-hint">
        {what.hint ? `${what.hint} ` : ''}The production URL answers while the workflow is active; the test URL answers at any time, runs the saved draft, and its runs are marked as tests.{hook.signed ? ' Requests must be signed.' : ''}
      </p>
    </section>
  );
}
