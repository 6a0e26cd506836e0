// Hosted triggers in real Chromium: a visitor fills in a core.form page and submits it (the run
// gets the fields), and sends a message on a core.chat page (the reply is shown). Script planted
// in the tenant's config never runs; the chat page runs only Keyflow's script, in an opaque
// origin that cannot reach the API or read Keyflow's cookies.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HOSTS, launchBrowser, serveTestApp, stopServed, type Browser, type Served } from './browser-support.ts';

const pos = { x: 0, y: 0 };
// Each payload, if it ever ran, would leave a mark the test reads: a dialog, the title, a global.
const PLANT = `<script>window.__pwned = 1; document.title = 'pwned'</script><img src=x onerror="alert('pwned')">`;

interface Setup extends Served {
  token: string;
}

async function start(port: number, env: Record<string, string>): Promise<Setup> {
  const served = await serveTestApp(port, env);
  return { ...served, token: (await served.t.signup()).token };
}

const stop = stopServed;

async function create(s: Setup, graph: unknown): Promise<{ id: string; url: string }> {
  const wf = (await (await s.t.request('POST', '/api/workflows', { token: s.token, body: { name: 'hosted', graph } })).json()) as { id: string };
  expect((await s.t.request('POST', `/api/workflows/${wf.id}/activate`, { token: s.token })).status).toBe(200);
  const [hook] = (await (await s.t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token: s.token })).json()) as { url: string }[];
  return { id: wf.id, url: hook!.url };
}

/** Records every trace a planted script could leave: dialogs, console errors from CSP, requests. */
function watch(page: Page) {
  const dialogs: string[] = [];
  const requested: string[] = [];
  const violations: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requested.push(`${r.method()} ${new URL(r.url()).pathname}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return { dialogs, requested, violations };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

async function runsOf(s: Setup, workflowId: string) {
  for (let i = 0; i < 200; i++) {
    const rows = await s.t.db.db.selectFrom('runs').select(['id', 'status', 'trigger_payload']).where('workflow_id', '=', workflowId).execute();
    if (rows.length > 0 && rows.every((r) => r.status === 'succeeded' || r.status === 'failed')) return rows;
    await new Promise((r) => setTimeout(r, 25));
  }
  return [];
}

describe('hosted triggers in Chromium', () => {
  it('a visitor fills in and submits the form; the run has the fields; planted script never runs', async () => {
    const port = await freePort();
    let s: Setup | undefined;
    const page = await browser.context.newPage();
    try {
      s = await start(port, { KEYFLOW_PUBLIC_URL: `http://127.0.0.1:${port}` });
      const fields = [
        { label: `Name ${PLANT}`, name: 'name', type: 'text', required: true },
        { label: 'Email', name: 'email', type: 'email', required: true },
        { label: 'Role', name: 'role', type: 'select', options: ['Engineer', 'Chef'], required: true },
        { label: 'About you', name: 'about', type: 'textarea' },
        { label: 'I agree', name: 'agree', type: 'checkbox', required: true },
      ];
      const form = await create(s, { nodes: [{ id: 'form', type: 'core.form', version: 1, config: { title: `Apply ${PLANT}`, description: PLANT, fields, buttonLabel: 'Send application', message: `Thanks! ${PLANT}` }, position: pos }], edges: [] });
      const seen = watch(page);
      const answer = await page.goto(form.url, { waitUntil: 'load' });
      expect(answer?.status()).toBe(200);
      // The planted markup is on the page, as text.
      await expect(page.locator('h1').textContent()).resolves.toBe(`Apply ${PLANT}`);
      await page.getByLabel('Name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Role').selectOption('Engineer');
      await page.getByLabel('About you').fill('Line one\nline <b>two</b>');
      await page.getByLabel('I agree').check();
      await Promise.all([page.waitForURL(form.url, { waitUntil: 'load' }), page.getByRole('button', { name: 'Send application' }).click()]);
      await expect(page.locator('.kf-message').textContent()).resolves.toBe(`Thanks! ${PLANT}`);
      const rows = await runsOf(s, form.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('succeeded');
      expect((rows[0]!.trigger_payload as { fields: unknown }).fields).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', role: 'Engineer', about: 'Line one\nline <b>two</b>', agree: true });
      expect(seen.requested).toEqual([`GET ${new URL(form.url).pathname}`, `POST ${new URL(form.url).pathname}`]);
      expect(seen.dialogs).toEqual([]);
      expect(await page.title()).not.toBe('pwned');
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      // The page lives in an opaque origin: no Keyflow cookies, no storage of the app's origin.
      expect(await page.evaluate(() => self.origin)).toBe('null');
    } finally {
      await page.close();
      await stop(s);
    }
  }, 90_000);

  it('the browser refuses to send a form missing a required field; the server names it when forced', async () => {
    const port = await freePort();
    let s: Setup | undefined;
    const page = await browser.context.newPage();
    try {
      s = await start(port, { KEYFLOW_PUBLIC_URL: `http://127.0.0.1:${port}` });
      const fields = [{ label: 'Email', name: 'email', type: 'email', required: true }];
      const form = await create(s, { nodes: [{ id: 'form', type: 'core.form', version: 1, config: { title: 'News', fields }, position: pos }], edges: [] });
      await page.goto(form.url, { waitUntil: 'load' });
      // Remove the browser's own check (as a hostile client would) and submit.
      await page.evaluate(() => document.querySelector('form')!.setAttribute('novalidate', ''));
      const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Submit' }).click()]);
      expect(answer.status()).toBe(422);
      await expect(page.locator('.kf-error').textContent()).resolves.toBe('Email is required');
      expect(await s.t.db.db.selectFrom('runs').select('id').where('workflow_id', '=', form.id).execute()).toEqual([]);
    } finally {
      await page.close();
      await stop(s);
    }
  }, 90_000);

  for (const mode of ['app origin', 'webhook origin'] as const) {
    it(`on the ${mode}: the chat page sends a message and shows the reply as text; it cannot reach the API`, async () => {
      const port = await freePort();
      let s: Setup | undefined;
      const page = await browser.context.newPage();
      try {
        const env: Record<string, string> = mode === 'app origin' ? { KEYFLOW_PUBLIC_URL: `http://127.0.0.1:${port}` } : { KEYFLOW_PUBLIC_URL: `http://${HOSTS[0]}:${port}`, KEYFLOW_WEBHOOK_URL: `http://${HOSTS[1]}:${port}` };
        s = await start(port, env);
        const appOrigin = env.KEYFLOW_PUBLIC_URL!;
        const graph = {
          nodes: [
            { id: 'chat', type: 'core.chat', version: 1, config: { title: `Support ${PLANT}`, welcome: `Hello ${PLANT}` }, position: pos },
            { id: 'reply', type: 'core.respond', version: 1, config: { body: `Echo: {{ $trigger.message }} ${PLANT}` }, position: pos },
          ],
          edges: [{ id: 'e', source: 'chat', target: 'reply' }],
        };
        const chat = await create(s, graph);
        if (mode === 'webhook origin') expect(new URL(chat.url).host).toBe(`${HOSTS[1]}:${port}`);
        // Signed in on the app, so a session cookie exists that the chat page must not be able to use.
        await page.goto(`${appOrigin}/`);
        const signup = await page.evaluate(async () => (await fetch('/api/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `visitor-${Date.now()}@example.test`, password: 'correct horse battery' }) })).status);
        expect(signup).toBe(201);
        const seen = watch(page);
        await page.goto(chat.url, { waitUntil: 'load' });
        await expect(page.locator('.kf-msg--bot').first().textContent()).resolves.toBe(`Hello ${PLANT}`);
        await page.getByLabel('Message').fill('what is <i>up</i>?');
        await page.getByLabel('Message').press('Enter');
        const reply = page.locator('.kf-msg--bot').nth(1);
        await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toBe(`Echo: what is <i>up</i>? ${PLANT}`);
        await expect(page.locator('.kf-msg--user').textContent()).resolves.toBe('what is <i>up</i>?');
        expect(await page.locator('#kf-log img, #kf-log i, #kf-log script').count()).toBe(0);
        expect(seen.dialogs).toEqual([]);
        expect(await page.title()).not.toBe('pwned');
        const path = new URL(chat.url).pathname;
        // (Chromium reports no CORS preflight here.) Nothing but the page, Keyflow's script and the message.
        expect(seen.requested).toEqual([`GET ${path}`, 'GET /hooks/static/chat-v1.js', `POST ${path}`]);
        // The page's own origin is opaque and its CSP lets it reach only its chat URL.
        const probe = await page.evaluate(async (app) => {
          const out: Record<string, string> = { origin: self.origin };
          try {
            out.cookie = document.cookie;
          } catch (e) {
            out.cookie = (e as Error).name;
          }
          try {
            const r = await fetch(`${app}/api/auth/me`, { credentials: 'include' });
            out.api = String(r.status);
          } catch {
            out.api = 'blocked';
          }
          return out;
        }, appOrigin);
        expect(probe).toEqual({ origin: 'null', cookie: 'SecurityError', api: 'blocked' });
      } finally {
        await page.close();
        await stop(s);
      }
    }, 90_000);
  }
});
