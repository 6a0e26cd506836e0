// Keys and connections (/connections, where the OAuth callback also lands): the owner's AI
// provider keys and integration connections, each masked, with its health, its last test
// (latency included), where it is used, and rename / replace / test / delete or disconnect.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../app/Field.tsx';
import { Link, useLocation } from '../app/router.tsx';
import { AddKeyForm } from './AddKeyForm.tsx';
import { ConfirmRemoveDialog, DeploymentsDialog, RenameDialog, ReplaceDialog } from './KeyDialogs.tsx';
import {
  AI_PROVIDERS,
  TOKEN_SERVICES,
  connectionsQueryKey,
  deleteCredential,
  disconnect,
  formatWhen,
  isAiProvider,
  keysQueryKey,
  providerTitle,
  statusText,
  coolingDown,
  testCredential,
  updateCredential,
  useConnections,
  useCredentialList,
  useUsedIn,
  type Connection,
  type Credential,
  type OAuthService,
  type TestResult,
} from './keys.api.ts';
import './keys.css';

/** "Slack, Notion, … and Webflow": every service a connection can be pasted for. */
const APP_NAMES = new Intl.ListFormat('en', { type: 'conjunction' }).format(TOKEN_SERVICES.map((s) => s.title));

const OAUTH_ERRORS: Record<string, string> = {
  not_configured: 'this server has no OAuth app for it',
  access_denied: 'the permission was not granted',
};

export default function KeysPage() {
  const client = useQueryClient();
  const creds = useCredentialList();
  const conns = useConnections();
  const { search } = useLocation();
  const params = search;
  const [renaming, setRenaming] = useState<Credential | null>(null);
  const [replacing, setReplacing] = useState<Credential | null>(null);
  const [deploying, setDeploying] = useState<Credential | null>(null);
  const [removing, setRemoving] = useState<{ credential: Credential; integration: boolean } | null>(null);
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: keysQueryKey }), client.invalidateQueries({ queryKey: connectionsQueryKey })]);

  if (creds.isPending || conns.isPending) return <div className="kf-loading">Loading keys…</div>;
  if (creds.isError || conns.isError) {
    return (
      <div role="alert" className="kf-alert">
        Could not load your keys: {errorMessage(creds.error ?? conns.error)}{' '}
        <button type="button" className="kf-button kf-button--small" onClick={() => void refresh()}>
          Retry
        </button>
      </div>
    );
  }
  const health = new Map(conns.data.items.map((c) => [c.id, c]));
  const ai = creds.data.items.filter((c) => isAiProvider(c.provider));
  const integrations = creds.data.items.filter((c) => !isAiProvider(c.provider));
  const connected = params.get('connected');
  const oauthError = params.get('error');

  return (
    <div className="kf-keys">
      <h1>Keys and connections</h1>
      {connected ? (
        <p role="status" className="kf-alert kf-alert--info">
          {providerTitle(connected)} is connected.
        </p>
      ) : null}
      {oauthError ? (
        <p role="alert" className="kf-alert">
          Connecting {providerTitle(params.get('service') ?? 'the service')} failed: {OAUTH_ERRORS[oauthError] ?? oauthError.replaceAll('_', ' ')}.
        </p>
      ) : null}

      <section aria-labelledby="kf-keys-ai" className="kf-keys__section">
        <h2 id="kf-keys-ai">AI provider keys</h2>
        <p className="kf-keys__lead">Your own keys for the AI nodes. Keyflow routes each call to one of them and fails over to the next.</p>
        <KeyTable items={ai} health={health} empty="No AI key yet: add one below." onRename={setRenaming} onReplace={setReplacing} onDeployments={setDeploying} onRemove={(c) => setRemoving({ credential: c, integration: false })} onChanged={refresh} />
        <AddKeyForm heading="Add an AI key" providerLabel="Provider" providers={AI_PROVIDERS} submitLabel="Add key" onAdded={() => void refresh()} />
      </section>

      <section aria-labelledby="kf-keys-int" className="kf-keys__section">
        <h2 id="kf-keys-int">Integration connections</h2>
        <p className="kf-keys__lead">{APP_NAMES} nodes act with these, and only on their own service’s hosts. For Google, connect with OAuth, or paste a service-account JSON key (Drive and Sheets: share the files with its email).</p>
        <OAuthButtons services={conns.data.services} />
        <KeyTable items={integrations} health={health} empty="No connection yet: connect a service or paste a token below." onRename={setRenaming} onRemove={(c) => setRemoving({ credential: c, integration: true })} onChanged={refresh} />
        <AddKeyForm heading="Paste a token" providerLabel="Service" providers={TOKEN_SERVICES} submitLabel="Add connection" onAdded={() => void refresh()} />
      </section>

      <RenameDialog
        credential={renaming}
        onOpenChange={(o) => !o && setRenaming(null)}
        onSubmit={async (label) => {
          await updateCredential(renaming!.id, { label });
          await refresh();
          setRenaming(null);
        }}
      />
      <DeploymentsDialog
        credential={deploying}
        onOpenChange={(o) => !o && setDeploying(null)}
        onSubmit={async (deployments) => {
          await updateCredential(deploying!.id, { deployments });
          await refresh();
          setDeploying(null);
        }}
      />
      <ReplaceDialog
        credential={replacing}
        onOpenChange={(o) => !o && setReplacing(null)}
        onSubmit={async (body) => {
          await updateCredential(replacing!.id, body);
          await refresh();
          setReplacing(null);
        }}
      />
      <ConfirmRemoveDialog
        target={
          removing
            ? removing.integration
              ? { title: 'Disconnect?', description: `${removing.credential.label} is revoked at ${providerTitle(removing.credential.provider)} where it offers that, then deleted. Nodes using it stop working.`, action: 'Disconnect' }
              : { title: 'Delete key?', description: `${removing.credential.label} (${removing.credential.hint}) is deleted. AI nodes fall back to your other keys.`, action: 'Delete' }
            : null
        }
        onOpenChange={(o) => !o && setRemoving(null)}
        onConfirm={async () => {
          if (removing!.integration) await disconnect(removing!.credential.id);
          else await deleteCredential(removing!.credential.id);
          await refresh();
          setRemoving(null);
        }}
      />
    </div>
  );
}

function OAuthButtons(props: { services: OAuthService[] }) {
  if (props.services.length === 0) return null;
  return (
    <div className="kf-keys__oauth" role="group" aria-label="Connect with OAuth">
      {props.services.map((s) =>
        s.status === 'configured' && s.startUrl ? (
          // A full navigation: the service's consent page, then back to /connections.
          <a key={s.service} className="kf-button kf-button--primary" href={s.startUrl}>
            Connect {s.title}
          </a>
        ) : (
          <span key={s.service} className="kf-keys__oauth-off">
            <button type="button" className="kf-button" disabled aria-describedby={`kf-oauth-${s.service}`}>
              Connect {s.title}
            </button>
            <span id={`kf-oauth-${s.service}`} className="kf-hint">
              not configured on this server (paste a token instead)
            </span>
          </span>
        ),
      )}
    </div>
  );
}

function KeyTable(props: {
  items: Credential[];
  health: Map<string, Connection>;
  empty: string;
  onRename(c: Credential): void;
  onReplace?(c: Credential): void;
  onDeployments?(c: Credential): void;
  onRemove(c: Credential): void;
  onChanged(): Promise<unknown>;
}) {
  if (props.items.length === 0) return <p className="kf-keys__empty">{props.empty}</p>;
  return (
    <ul className="kf-keys__list">
      {props.items.map((c) => (
        <KeyRow key={c.id} credential={c} health={props.health.get(c.id)} onRename={props.onRename} {...(props.onReplace ? { onReplace: props.onReplace } : {})} {...(props.onDeployments ? { onDeployments: props.onDeployments } : {})} onRemove={props.onRemove} onChanged={props.onChanged} />
      ))}
    </ul>
  );
}

function KeyRow(props: { credential: Credential; health: Connection | undefined; onRename(c: Credential): void; onReplace?(c: Credential): void; onDeployments?(c: Credential): void; onRemove(c: Credential): void; onChanged(): Promise<unknown> }) {
  const c = props.credential;
  const h = props.health;
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestResult | { status: 'failed'; message: string } | null>(null);
  const [showUse, setShowUse] = useState(false);
  const status = statusText(h?.status, c);
  const cooling = coolingDown(c);
  // Redraw when the cool-down ends, so the word does not outlive it.
  const [, redraw] = useState(0);
  useEffect(() => {
    if (!cooling) return;
    const t = setTimeout(() => redraw((n) => n + 1), Math.max(0, Date.parse(cooling.until) - Date.now()) + 50);
    return () => clearTimeout(t);
  }, [cooling?.until]);
  const lastChecked = h?.lastCheckedAt ?? c.meta.lastCheckedAt ?? null;
  async function test() {
    setTesting(true);
    setResult(null);
    try {
      setResult(await testCredential(c.id));
      await props.onChanged();
    } catch (err) {
      setResult({ status: 'failed', message: errorMessage(err) });
    } finally {
      setTesting(false);
    }
  }
  return (
    <li className="kf-keys__row" data-credential-id={c.id} aria-label={`${c.label} (${providerTitle(c.provider)})`}>
      <div className="kf-keys__main">
        <span className="kf-keys__label">{c.label}</span>
        <span className="kf-keys__provider">{providerTitle(c.provider)}</span>
        <code className="kf-keys__mask" aria-label="Masked key">
          {c.hint}
        </code>
        <span className={`kf-keys__status kf-keys__status--${status.tone}`} data-status={status.word}>
          {status.word}
        </span>
      </div>
      <div className="kf-keys__meta">
        {c.meta.endpoint ? <span>Endpoint {c.meta.endpoint}</span> : null}
        {c.meta.deployments ? (
          <span data-testid="deployments">
            Deployments{' '}
            {Object.entries(c.meta.deployments)
              .map(([name, model]) => `${name} → ${model}`)
              .join(', ')}
          </span>
        ) : null}
        <span>Last check {formatWhen(lastChecked)}</span>
        {h?.latencyMs != null ? <span>{h.latencyMs} ms</span> : null}
        {h?.authKind === 'oauth2' ? <span>OAuth</span> : null}
        {cooling ? (
          <span className="kf-keys__error" data-testid="cooling-down">
            The router leaves {providerTitle(c.provider)} alone until {new Date(cooling.until).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })} after: {cooling.error}
          </span>
        ) : null}
        {h?.lastError ? <span className="kf-keys__error">Last error: {h.lastError}</span> : null}
        {!h?.lastError && c.meta.lastCheckStatus && !['valid', 'untested'].includes(c.meta.lastCheckStatus) ? (
          <span className="kf-keys__error">Last test: {c.meta.lastCheckStatus.replaceAll('_', ' ')}</span>
        ) : null}
        <span>Last used {formatWhen(c.lastUsedAt)}</span>
      </div>
      {result ? (
        <p role="status" className={`kf-keys__result kf-keys__result--${result.status === 'valid' ? 'ok' : 'bad'}`}>
          Test: {result.message}
          {'latencyMs' in result && result.latencyMs !== undefined ? ` (${result.latencyMs} ms)` : ''}
        </p>
      ) : null}
      <div className="kf-keys__actions">
        <button type="button" className="kf-button kf-button--small" onClick={() => void test()} disabled={testing} aria-label={`Test ${c.label}`}>
          {testing ? 'Testing…' : 'Test'}
        </button>
        <button type="button" className="kf-button kf-button--small" onClick={() => props.onRename(c)} aria-label={`Rename ${c.label}`}>
          Rename
        </button>
        {props.onDeployments && c.provider === 'azure_openai' ? (
          <button type="button" className="kf-button kf-button--small" onClick={() => props.onDeployments!(c)} aria-label={`Deployments of ${c.label}`}>
            Deployments
          </button>
        ) : null}
        {props.onReplace ? (
          <button type="button" className="kf-button kf-button--small" onClick={() => props.onReplace!(c)} aria-label={`Replace ${c.label}`}>
            Replace
          </button>
        ) : null}
        <button type="button" className="kf-button kf-button--small" aria-expanded={showUse} onClick={() => setShowUse(!showUse)} aria-label={`Where ${c.label} is used`}>
          Used in…
        </button>
        <button type="button" className="kf-button kf-button--small kf-button--ghost kf-keys__danger" onClick={() => props.onRemove(c)} aria-label={`${isAiProvider(c.provider) ? 'Delete' : 'Disconnect'} ${c.label}`}>
          {isAiProvider(c.provider) ? 'Delete' : 'Disconnect'}
        </button>
      </div>
      {showUse ? <UsedIn id={c.id} /> : null}
    </li>
  );
}

function UsedIn(props: { id: string }) {
  const used = useUsedIn(props.id, true);
  if (used.isPending) return <p className="kf-keys__used">Looking…</p>;
  if (used.isError) return <p className="kf-keys__used kf-keys__error">Could not look it up: {used.error.message}</p>;
  if (used.data.items.length === 0) return <p className="kf-keys__used">Not named by any workflow, and no run has called with it yet.</p>;
  return (
    <ul className="kf-keys__used" aria-label="Workflows using this key">
      {used.data.items.map((w) => (
        <li key={w.id}>
          <Link to={`/workflows/${w.id}`}>{w.name}</Link> {w.active ? '(active)' : ''} — {[w.inGraph ? 'named in a node' : null, w.lastCallAt ? `last call ${formatWhen(w.lastCallAt)}` : null].filter(Boolean).join(', ')}
        </li>
      ))}
    </ul>
  );
}
