// Which screen shows for which URL. Signed-in screens wait for /api/auth/me; a 401 there is
// handled by the session-expiry hook (to the log-in page, then back here).
import { lazy, Suspense, useEffect } from 'react';
import { ApiError } from '../api/client.ts';
import { LoginPage, SignupPage } from '../auth/AuthPages.tsx';
import { useMe } from '../auth/session.ts';
import { prefetchEditorData } from '../canvas/workflow-api.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { WorkflowListPage } from '../workflows/WorkflowListPage.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Layout } from './Layout.tsx';
import { matchPath, useLocation } from './router.tsx';

// The whole editing screen is its own chunk: canvas, forms and CodeMirror load only here.
const loadEditorPage = () => import('../canvas/WorkflowEditorPage.tsx');
const WorkflowEditorPage = lazy(loadEditorPage);
// The all-runs page shares the run views (and the store) with the editor: its own chunk too.
const RunsPage = lazy(() => import('../runs/RunsPage.tsx').then((m) => ({ default: m.RunsPage })));
// Keys and costs are their own chunks too (the costs page pulls in the charting library).
const KeysPage = lazy(() => import('../keys/KeysPage.tsx'));
const CostsPage = lazy(() => import('../costs/CostsPage.tsx'));
// Activity (runs, failures, spend, health, alert settings) reuses the costs page's lazy chart.
const ActivityPage = lazy(() => import('../activity/ActivityPage.tsx'));
const PAGES: Record<string, { area: string; Page: typeof KeysPage }> = {
  '/connections': { area: 'the keys page', Page: KeysPage },
  '/costs': { area: 'the costs page', Page: CostsPage },
  '/activity': { area: 'the activity page', Page: ActivityPage },
};

function SignedIn() {
  const { pathname } = useLocation();
  const editorId = matchPath('/workflows/:id', pathname)?.id;
  const me = useMe();
  // Opening a workflow: its code loads while the session is checked, and its data is asked for
  // as soon as the session is known, not one after the other.
  useEffect(() => {
    if (editorId) void loadEditorPage();
  }, [editorId]);
  useEffect(() => {
    if (editorId && me.isSuccess) prefetchEditorData(editorId);
  }, [editorId, me.isSuccess]);
  if (me.isPending) return <div className="kf-loading">Loading…</div>;
  if (me.isError) {
    // 401: the expiry hook is already navigating to the log-in page.
    if (me.error instanceof ApiError && me.error.status === 401) return null;
    return (
      <div role="alert" className="kf-alert" style={{ margin: 32 }}>
        Could not reach Keyflow: {me.error.message}{' '}
        <button type="button" className="kf-button kf-button--small" onClick={() => void me.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  const editor = matchPath('/workflows/:id', pathname);
  if (editor) {
    return (
      <Layout email={me.data.user.email} fullBleed>
        <ErrorBoundary area="the workflow editor" key={editor.id}>
          <Suspense fallback={<div className="kf-loading">Loading the editor…</div>}>
            <WorkflowEditorPage workflowId={editor.id!} />
          </Suspense>
        </ErrorBoundary>
      </Layout>
    );
  }
  const page = Object.hasOwn(PAGES, pathname) ? PAGES[pathname] : undefined;
  if (page) {
    return (
      <Layout email={me.data.user.email}>
        <ErrorBoundary area={page.area} key={pathname}>
          <Suspense fallback={<div className="kf-loading">Loading…</div>}>
            <page.Page />
          </Suspense>
        </ErrorBoundary>
      </Layout>
    );
  }
  return (
    <Layout email={me.data.user.email}>
      <ErrorBoundary area={pathname === '/' ? 'the workflow list' : 'this page'} key={pathname}>
        {pathname === '/' ? <WorkflowListPage /> : pathname === '/runs' ? (
          <Suspense fallback={<div className="kf-loading">Loading the runs…</div>}>
            <RunsPage />
          </Suspense>
        ) : <NotFoundPage />}
      </ErrorBoundary>
    </Layout>
  );
}

export function Routes() {
  const { pathname } = useLocation();
  if (pathname === '/login') return <LoginPage />;
  if (pathname === '/signup') return <SignupPage />;
  return <SignedIn />;
}
