// Accounts and the workflow list in Chromium against the real server (embedded mode): sign up,
// log out, log in, change password; a session ended elsewhere sends the person to log in and
// back to where they were, with the browser's stored drafts intact; create, rename, duplicate,
// delete, activate and search workflows; a hostile name renders as text. Any console error or
// warning fails the test (harness.assertNoProblems).
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { E2E_PASSWORD, signUpInPage, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => h.assertNoProblems());

const PASSWORD = E2E_PASSWORD;
let counter = 0;
const newEmail = () => `e2e${++counter}-${Date.now()}@example.test`;

async function signUp(page: Page, email = newEmail(), password = PASSWORD): Promise<string> {
  await signUpInPage(h, page, email, password);
  return email;
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function openAccountMenu(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account menu for / }).click();
}

async function createWorkflow(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'New workflow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New workflow' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function backToList(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
}

const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

describe('the served build', () => {
  it('is a production build whose page loads its script from /assets/ only', async () => {
    const page = await h.newPage();
    const res = await page.request.get('/');
    const html = await res.text();
    expect(res.headers()['content-security-policy']).toMatch(/script-src [^;]*\/assets\//);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/assets\/)[^>]*>/); // no inline script
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBe(1);
    const js = await (await page.request.get(scripts[0]!)).text();
    // React's development build (what a NODE_ENV=test build would ship) says this; production does not.
    expect(js.includes('Download the React DevTools'), 'the served bundle is React\'s development build').toBe(false);
  });
});

describe('accounts in the browser', () => {
  it('signs up, logs out, logs in (refusing a wrong password), changes the password', async () => {
    const page = await h.newPage();
    h.expectHttpError(401, '/api/auth/me');
    await page.goto('/');
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await h.screenshot(page, 'login');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(/\/signup$/);
    const email = newEmail();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByText('Must be at least 10 characters.').isVisible()).toBe(true);
    await h.screenshot(page, 'signup-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No workflows yet' }).waitFor();
    await h.screenshot(page, 'workflow-list-empty');

    await openAccountMenu(page);
    await h.screenshot(page, 'account-menu');
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);

    h.expectHttpError(401, '/api/auth/login');
    await logIn(page, email, 'not the password at all');
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await logIn(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    h.expectHttpError(401, '/api/auth/password');
    await dialog.getByLabel('Current password').fill('wrong wrong wrong');
    await dialog.getByLabel('New password').fill('a brand new passphrase');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('The current password is wrong.').waitFor();
    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText(/^Password changed\./).waitFor();
    await h.screenshot(page, 'password-changed');
    await dialog.getByRole('button', { name: 'Done' }).click();
    // Still signed in (a fresh session replaced the old one); the CSRF token followed it.
    await createWorkflow(page, 'After password change');
    await backToList(page);

    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await logIn(page, email, PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await logIn(page, email, 'a brand new passphrase');
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    await page.getByRole('link', { name: 'After password change' }).waitFor();
  }, 90_000);

  it('sends a person whose session ended elsewhere to log in and back, keeping local drafts', async () => {
    const ctx = await h.newContext();
    const page = await h.newPage(ctx);
    const email = await signUp(page);
    const id = await createWorkflow(page, 'Lead intake');
    await page.getByRole('heading', { name: 'Lead intake' }).waitFor();
    // Stands in for the canvas's unsaved draft, which lives in localStorage.
    await page.evaluate(() => localStorage.setItem('keyflow.e2e.draft', 'unsaved graph'));

    // The same person changes their password in another browser: this session ends.
    const other = await h.newPage();
    await other.goto('/login');
    const changed = await other.evaluate(
      async ({ email, password }) => {
        const login = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const res = await fetch('/api/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify({ currentPassword: password, newPassword: 'changed elsewhere 123' }) });
        return res.status;
      },
      { email, password: PASSWORD },
    );
    expect(changed).toBe(200);

    // Mid-session: the next request answers 401.
    h.expectHttpError(401, '/api/tokens');
    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Revoke all API tokens' }).click();
    await page.getByRole('alertdialog', { name: 'Revoke all API tokens?' }).getByRole('button', { name: 'Revoke all tokens' }).click();
    await page.waitForURL(/\/login\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('next')).toBe(`/workflows/${id}`);
    await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
    await h.screenshot(page, 'session-expired');
    await logIn(page, email, 'changed elsewhere 123');
    await page.waitForURL(new RegExp(`/workflows/${id}$`));
    await page.getByRole('heading', { name: 'Lead intake' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('keyflow.e2e.draft'))).toBe('unsaved graph');

    // Arriving with an ended session (a reload) returns to the same list, search included.
    await backToList(page);
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill('lead');
    await page.waitForURL(/\/\?q=lead$/);
    await other.evaluate(async () => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      await fetch('/api/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ currentPassword: 'changed elsewhere 123', newPassword: 'changed again 4567' }) });
    });
    h.expectHttpError(401, '/api/auth/me');
    await page.reload();
    await page.waitForURL(/\/login\?/);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/?q=lead');
    await logIn(page, email, 'changed again 4567');
    await page.waitForURL(/\/\?q=lead$/);
    expect(await page.getByRole('searchbox', { name: 'Search workflows' }).inputValue()).toBe('lead');
    await page.getByRole('link', { name: 'Lead intake' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('keyflow.e2e.draft'))).toBe('unsaved graph');
  }, 90_000);

  it('exports my data as a file, then deletes the account after a password check', async () => {
    const page = await h.newPage();
    const email = await signUp(page);
    await createWorkflow(page, 'Exported plan');
    await backToList(page);
    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Export my data' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Export my data' });
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^keyflow-export-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { user: { email: string }; workflows: { name: string }[] };
    expect(file.user.email).toBe(email);
    expect(file.workflows.map((w) => w.name)).toEqual(['Exported plan']);

    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Delete account' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete your account?' });
    h.expectHttpError(401, '/api/account');
    await confirm.getByLabel('Your password').fill('not my password');
    await confirm.getByRole('button', { name: 'Delete my account' }).click();
    await confirm.getByText('The password is wrong.').waitFor();
    await h.screenshot(page, 'delete-account');
    await confirm.getByLabel('Your password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(/\/login$/);
    h.expectHttpError(401, '/api/auth/login');
    await logIn(page, email, PASSWORD);
    await page.getByRole('alert').filter({ hasText: /wrong email or password/i }).waitFor();
  }, 90_000);

  it('never returns to another site after logging in', async () => {
    const page = await h.newPage();
    const email = await signUp(page);
    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto('/login?next=%2F%2Fevil.example%2Fphish');
    await logIn(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    expect(page.url()).toBe(`${h.baseUrl}/`);
  }, 60_000);
});

describe('workflow list in the browser', () => {
  it('creates, renames, duplicates, searches, filters, activates and deletes', async () => {
    const page = await h.newPage();
    await signUp(page);
    const id = await createWorkflow(page, 'Invoice reminder');
    await page.getByRole('heading', { name: 'Invoice reminder' }).waitFor();
    await backToList(page);
    await createWorkflow(page, 'Lead intake');
    await backToList(page);
    await row(page, 'Invoice reminder').waitFor();
    await expect.poll(() => row(page, 'Invoice reminder').getByText('Never run').isVisible()).toBe(true);

    // Rename
    await row(page, 'Invoice reminder').getByRole('button', { name: 'Actions for Invoice reminder' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename workflow' });
    await rename.getByLabel('Name').fill('   ');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await rename.getByText('Must not be empty.').waitFor();
    await rename.getByLabel('Name').fill('Invoice reminder (monthly)');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await row(page, 'Invoice reminder (monthly)').waitFor();
    expect(await row(page, 'Invoice reminder (monthly)').getAttribute('data-workflow-id')).toBe(id);

    // Duplicate
    await row(page, 'Lead intake').getByRole('button', { name: 'Actions for Lead intake' }).click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    await row(page, 'Lead intake (copy)').waitFor();
    await page.getByRole('status').filter({ hasText: 'Created “Lead intake (copy)”.' }).waitFor();

    // Activate
    const toggle = row(page, 'Lead intake').getByRole('switch', { name: 'Active: Lead intake' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await page.getByRole('status').filter({ hasText: '“Lead intake” is active' }).waitFor();
    await h.screenshot(page, 'workflow-list');

    // Filter and search
    await page.getByRole('radio', { name: 'Active', exact: true }).click();
    await page.waitForURL(/\?active=true$/);
    await expect.poll(() => page.getByRole('row').count()).toBe(2); // header + Lead intake
    await row(page, 'Lead intake').waitFor();
    await page.getByRole('radio', { name: 'All' }).click();
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill('COPY');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await row(page, 'Lead intake (copy)').waitFor();
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill('nothing like this');
    await page.getByText('No workflow matches these filters.').waitFor();
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill('');
    await expect.poll(() => page.getByRole('row').count()).toBe(4);

    // Delete, confirmed (cancel first: nothing happens)
    await row(page, 'Lead intake (copy)').getByRole('button', { name: 'Actions for Lead intake (copy)' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete workflow?' });
    await confirm.getByText('“Lead intake (copy)” and all its versions and runs are deleted for good.').waitFor();
    await h.screenshot(page, 'delete-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await row(page, 'Lead intake (copy)').waitFor();
    await row(page, 'Lead intake (copy)').getByRole('button', { name: 'Actions for Lead intake (copy)' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('alertdialog', { name: 'Delete workflow?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Lead intake (copy)”.' }).waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(3);

    // Open from the list
    await page.getByRole('link', { name: 'Invoice reminder (monthly)' }).click();
    await page.waitForURL(new RegExp(`/workflows/${id}$`));
    // The editor page inside the shell's frame, with the starter trigger on the canvas.
    await page.locator('[data-node-type="core.manual"]').first().waitFor();
    await page.getByRole('button', { name: /^Account menu for / }).waitFor();
    await h.screenshot(page, 'workflow-editor');
    // The editor's lazily loaded styles must not restyle the shell once loaded.
    await backToList(page);
    await row(page, 'Lead intake').waitFor();
    await h.screenshot(page, 'workflow-list-after-editor');
  }, 90_000);

  it('pages through more workflows than fit on one page', async () => {
    const page = await h.newPage();
    await signUp(page);
    // 27 workflows through the API with the page's session (faster than the dialog).
    await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const graph = { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] };
      for (let i = 1; i <= 27; i++) {
        await fetch('/api/workflows', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: `Flow ${String(i).padStart(2, '0')}`, graph }) });
      }
    });
    await page.reload();
    await row(page, 'Flow 27').waitFor();
    expect(await page.getByRole('row').count()).toBe(26); // header + 25
    await page.getByRole('button', { name: 'Next' }).click();
    await row(page, 'Flow 01').waitFor();
    expect(await page.getByRole('row').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await row(page, 'Flow 27').waitFor();
  }, 60_000);

  it('renders a hostile workflow name as text and runs no script', async () => {
    const page = await h.newPage();
    await signUp(page);
    const hostile = '<img src=x onerror=alert(1)>';
    await createWorkflow(page, hostile);
    await page.getByRole('heading', { name: hostile }).waitFor();
    await backToList(page);
    const link = page.getByRole('link', { name: hostile, exact: true });
    await link.waitFor();
    expect(await link.textContent()).toBe(hostile);
    expect(await page.locator('main img[src="x"], .kf-main img[src="x"], table img').count()).toBe(0);
    await row(page, hostile).getByRole('button', { name: `Actions for ${hostile}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete workflow?' });
    await confirm.getByText(hostile, { exact: false }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await h.screenshot(page, 'hostile-name');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    // The harness fails the test on any alert() dialog or page error.
  }, 60_000);
});
