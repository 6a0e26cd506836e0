// The home screen: the owner's workflows, searchable by name, filterable by active, paginated
// with the API's cursors; create, rename, duplicate, delete (confirmed) and activate in place.
import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DropdownMenu, Switch, ToggleGroup } from 'radix-ui';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../app/Field.tsx';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { createWorkflow, copyName, deleteWorkflow, duplicateWorkflow, listWorkflows, renameWorkflow, setActive, type ListFilter, type WorkflowListItem } from './workflows.api.ts';
import { ConfirmDeleteDialog, NameDialog } from './WorkflowDialogs.tsx';
import { statusLabel, statusTone, timeAgo } from './format.ts';
import './workflows.css';
import { useDebounced } from '../app/use-debounced.ts';

type Pending = { kind: 'create' } | { kind: 'rename'; wf: WorkflowListItem } | { kind: 'delete'; wf: WorkflowListItem } | null;

export function WorkflowListPage() {
  const qc = useQueryClient();
  // Search and filter live in the URL (?q=…&active=true), so Back, reload and the return after
  // a log-in all land on the same list.
  const location = useLocation();
  const urlName = location.search.get('q') ?? '';
  const urlActive = location.search.get('active');
  const active: ListFilter['active'] = urlActive === 'true' || urlActive === 'false' ? urlActive : 'all';
  const [search, setSearch] = useState(urlName);
  const debounced = useDebounced(search, 250);
  const name = urlName;
  const setUrl = (q: string, a: ListFilter['active']) => {
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (a !== 'all') params.set('active', a);
    const s = params.toString();
    navigate(s ? `/?${s}` : '/', { replace: true });
  };
  // Only a settled search updates the URL; a URL changed from outside (Back) updates the box.
  useEffect(() => {
    if (debounced.trim() !== urlName) setUrl(debounced, active);
  }, [debounced]);
  useEffect(() => {
    if (urlName !== debounced.trim()) setSearch(urlName);
  }, [urlName]);
  const setActiveFilter = (a: ListFilter['active']) => setUrl(search, a);
  // Keyset pagination: the cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  useEffect(() => setCursors([null]), [name, active]);

  const filter: ListFilter = { name, active, cursor };
  const list = useQuery({ queryKey: ['workflows', filter], queryFn: ({ signal }) => listWorkflows(filter, signal), placeholderData: keepPreviousData });
  const refresh = () => qc.invalidateQueries({ queryKey: ['workflows'] });
  const fail = (what: string) => (err: unknown) => setNotice({ tone: 'error', text: `Could not ${what}: ${errorMessage(err)}` });

  const toggle = useMutation({
    mutationFn: ({ wf, on }: { wf: WorkflowListItem; on: boolean }) => setActive(wf.id, on),
    onSuccess: (_r, { wf, on }) => setNotice({ tone: 'info', text: `“${wf.name}” is ${on ? 'active: its triggers now run' : 'inactive: its triggers no longer run'}.` }),
    onError: (err, { wf, on }) => fail(`${on ? 'activate' : 'deactivate'} “${wf.name}”`)(err),
    onSettled: refresh,
  });
  const duplicate = useMutation({
    mutationFn: (wf: WorkflowListItem) => duplicateWorkflow(wf.id, copyName(wf.name)),
    onSuccess: (copy) => setNotice({ tone: 'info', text: `Created “${copy.name}”.` }),
    onError: (err, wf) => fail(`duplicate “${wf.name}”`)(err),
    onSettled: refresh,
  });

  const page = list.data;
  const filtered = name.trim() !== '' || active !== 'all';
  return (
    <div className="kf-wflist">
      <div className="kf-wflist__head">
        <h1>Workflows</h1>
        <button type="button" className="kf-button kf-button--primary" onClick={() => setPending({ kind: 'create' })}>
          New workflow
        </button>
      </div>

      <div className="kf-wflist__toolbar">
        <input type="search" className="kf-input kf-wflist__search" aria-label="Search workflows" placeholder="Search by name…" value={search} onChange={(e) => setSearch(e.target.value)} maxLength={200} />
        <ToggleGroup.Root type="single" className="kf-segmented" aria-label="Show" value={active} onValueChange={(v) => v && setActiveFilter(v as ListFilter['active'])}>
          <ToggleGroup.Item value="all" className="kf-segmented__item">
            All
          </ToggleGroup.Item>
          <ToggleGroup.Item value="true" className="kf-segmented__item">
            Active
          </ToggleGroup.Item>
          <ToggleGroup.Item value="false" className="kf-segmented__item">
            Inactive
          </ToggleGroup.Item>
        </ToggleGroup.Root>
      </div>

      {notice && (
        <div className={notice.tone === 'error' ? 'kf-alert' : 'kf-alert kf-alert--info'} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
          <button type="button" className="kf-button kf-button--ghost kf-button--small kf-alert__close" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}

      {list.isError && !page ? (
        <div className="kf-alert" role="alert">
          Could not load your workflows: {list.error.message}{' '}
          <button type="button" className="kf-button kf-button--small" onClick={() => void list.refetch()}>
            Retry
          </button>
        </div>
      ) : !page ? (
        <div className="kf-loading">Loading workflows…</div>
      ) : page.items.length === 0 ? (
        <div className="kf-empty">
          {filtered ? (
            <p>No workflow matches these filters.</p>
          ) : (
            <>
              <h2>No workflows yet</h2>
              <p>A workflow connects a trigger (a webhook, a schedule, a button) to the steps that follow.</p>
              <button type="button" className="kf-button kf-button--primary" onClick={() => setPending({ kind: 'create' })}>
                Create your first workflow
              </button>
            </>
          )}
        </div>
      ) : (
        <table className="kf-table" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Active</th>
              <th scope="col">Last run</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="kf-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((wf) => (
              <tr key={wf.id} data-workflow-id={wf.id}>
                <td className="kf-table__name">
                  <Link to={`/workflows/${wf.id}`}>{wf.name}</Link>
                  <span className="kf-hint"> v{wf.currentVersion}</span>
                </td>
                <td>
                  <Switch.Root
                    className="kf-switch"
                    aria-label={`Active: ${wf.name}`}
                    checked={wf.active}
                    disabled={toggle.isPending && toggle.variables?.wf.id === wf.id}
                    onCheckedChange={(on) => toggle.mutate({ wf, on })}
                  >
                    <Switch.Thumb className="kf-switch__thumb" />
                  </Switch.Root>
                </td>
                <td>
                  {wf.lastRun ? (
                    <span className="kf-run">
                      <span className={`kf-badge kf-badge--${statusTone(wf.lastRun.status)}`}>{statusLabel(wf.lastRun.status)}</span>{' '}
                      <time dateTime={wf.lastRun.createdAt} title={new Date(wf.lastRun.createdAt).toLocaleString()}>
                        {timeAgo(wf.lastRun.createdAt)}
                      </time>
                    </span>
                  ) : (
                    <span className="kf-hint">Never run</span>
                  )}
                </td>
                <td>
                  <time dateTime={wf.updatedAt} title={new Date(wf.updatedAt).toLocaleString()}>
                    {timeAgo(wf.updatedAt)}
                  </time>
                </td>
                <td className="kf-table__actions">
                  <DropdownMenu.Root>
                    <DropdownMenu.Trigger asChild>
                      <button type="button" className="kf-button kf-button--ghost kf-button--small" aria-label={`Actions for ${wf.name}`}>
                        ⋯
                      </button>
                    </DropdownMenu.Trigger>
                    <DropdownMenu.Portal>
                      <DropdownMenu.Content className="kf-menu" align="end" sideOffset={4}>
                        <DropdownMenu.Item className="kf-menu__item" onSelect={() => navigate(`/workflows/${wf.id}`)}>
                          Open
                        </DropdownMenu.Item>
                        <DropdownMenu.Item className="kf-menu__item" onSelect={() => setPending({ kind: 'rename', wf })}>
                          Rename
                        </DropdownMenu.Item>
                        <DropdownMenu.Item className="kf-menu__item" onSelect={() => duplicate.mutate(wf)}>
                          Duplicate
                        </DropdownMenu.Item>
                        <DropdownMenu.Separator className="kf-menu__separator" />
                        <DropdownMenu.Item className="kf-menu__item kf-menu__item--danger" onSelect={() => setPending({ kind: 'delete', wf })}>
                          Delete
                        </DropdownMenu.Item>
                      </DropdownMenu.Content>
                    </DropdownMenu.Portal>
                  </DropdownMenu.Root>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {page && (cursors.length > 1 || page.nextCursor) && (
        <nav className="kf-pager" aria-label="Pages">
          <button type="button" className="kf-button kf-button--small" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </button>
          <span className="kf-hint">Page {cursors.length}</span>
          <button type="button" className="kf-button kf-button--small" disabled={!page.nextCursor} onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor])}>
            Next
          </button>
        </nav>
      )}

      <NameDialog
        open={pending?.kind === 'create'}
        title="New workflow"
        description="Name it after what it does; you can rename it later."
        submitLabel="Create"
        initial=""
        onOpenChange={(o) => !o && setPending(null)}
        onSubmit={async (n) => {
          const wf = await createWorkflow(n);
          void refresh();
          navigate(`/workflows/${wf.id}`);
        }}
      />
      <NameDialog
        open={pending?.kind === 'rename'}
        title="Rename workflow"
        description="The name shows in this list and in run history."
        submitLabel="Rename"
        initial={pending?.kind === 'rename' ? pending.wf.name : ''}
        onOpenChange={(o) => !o && setPending(null)}
        onSubmit={async (n) => {
          if (pending?.kind !== 'rename') return;
          await renameWorkflow(pending.wf.id, n);
          setPending(null);
          await refresh();
        }}
      />
      <ConfirmDeleteDialog
        workflow={pending?.kind === 'delete' ? pending.wf : null}
        onOpenChange={(o) => !o && setPending(null)}
        onConfirm={async (wf) => {
          try {
            await deleteWorkflow(wf.id);
          } catch (err) {
            // Already gone (another tab): the list just catches up.
            if (!(err instanceof ApiError && err.status === 404)) throw err;
          }
          setPending(null);
          setNotice({ tone: 'info', text: `Deleted “${wf.name}”.` });
          // The last item of a later page: step back a page.
          if (page && page.items.length === 1 && cursors.length > 1) setCursors((c) => c.slice(0, -1));
          await refresh();
        }}
      />
    </div>
  );
}
