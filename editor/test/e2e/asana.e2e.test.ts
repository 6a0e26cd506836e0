// Asana and Azure deployments in Chromium against the real server, with the fake Asana on
// loopback (KEYFLOW_ASANA_BASE_URL): the Connect Asana button (not configured here), an Asana
// token pasted and tested healthy, an Azure key with its deployment map shown on its row, and
// an Asana node from the palette whose Workspace and Project dropdowns list the fake's data.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addFakeToken, startFakeAsana, type FakeAsana } from '@keyflow/nodes/testing/fake-asana';
import { signUpInPage, startHarness, uniqueEmail, type Harness } from './harness.ts';

let h: Harness;
let asana: FakeAsana;

beforeAll(async () => {
  asana = await startFakeAsana();
  h = await startHarness({ env: { KEYFLOW_ASANA_BASE_URL: asana.url } });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await asana?.close();
});
afterEach(() => h.assertNoProblems());

describe('asana and azure deployments in the editor', () => {
  it('connects Asana, shows Azure deployments, and fills an Asana node from its dropdowns', async () => {
    const page = await h.newPage();
    page.setDefaultTimeout(15_000);
    await signUpInPage(h, page, uniqueEmail('asana'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('heading', { name: 'Keys and connections' }).waitFor();
    await page.getByRole('button', { name: 'Connect Asana' }).waitFor();
    expect(await page.getByRole('button', { name: 'Connect Asana' }).isDisabled()).toBe(true);

    const tok = addFakeToken(asana);
    const paste = page.getByRole('form', { name: 'Paste a token' });
    await paste.getByLabel('Service').selectOption({ label: 'Asana' });
    await paste.getByLabel('Name').fill('Asana team');
    await paste.getByLabel('Personal access token').fill(tok.token);
    await paste.getByRole('button', { name: 'Add connection' }).click();
    const row = page.getByRole('listitem', { name: 'Asana team (Asana)' });
    await row.waitFor();
    expect(await page.content()).not.toContain(tok.token);
    await row.getByRole('button', { name: 'Test Asana team' }).click();
    await row.locator('[data-status="Healthy"]').waitFor();
    expect(await row.getByRole('status').textContent()).toContain('connected as Acme / Ada Lovelace');

    const ai = page.getByRole('form', { name: 'Add an AI key' });
    await ai.getByLabel('Provider').selectOption({ label: 'Azure OpenAI' });
    await ai.getByLabel('Name').fill('Azure prod');
    await ai.getByLabel('API key').fill('a1'.repeat(16));
    await ai.getByLabel('Endpoint').fill('https://acme.openai.azure.com');
    await ai.getByLabel('Deployments').fill('prod-mini = gpt-4o-mini\nprod-large = gpt-4.1');
    await ai.getByRole('button', { name: 'Add key' }).click();
    const azureRow = page.getByRole('listitem', { name: 'Azure prod (Azure OpenAI)' });
    await azureRow.getByTestId('deployments').filter({ hasText: 'prod-mini → gpt-4o-mini, prod-large → gpt-4.1' }).waitFor();
    await h.screenshot(page, 'keys-asana-azure');

    // The palette offers Asana; its node's dropdowns come from the fake Asana through the server.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'New workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.getByLabel('Name').fill('Asana tasks');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    await page.locator('[data-node-id="start"]').click();
    await page.getByRole('searchbox', { name: 'Search nodes' }).fill('asana.create');
    const entry = page.locator('.kf-palette [data-palette-entry="asana.create_task"]');
    await entry.waitFor();
    await entry.focus();
    await page.keyboard.press('Enter');
    const created = page.locator('.kf-canvas [data-node-type="asana.create_task"]');
    await created.waitFor();
    await created.click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const workspace = inspector.getByLabel('Workspace id');
    await workspace.click();
    await inspector.getByRole('option', { name: /Acme/ }).click();
    expect(await workspace.inputValue()).toBe(asana.workspaces[0]!.gid);
    const project = inspector.getByLabel('Project id');
    await project.click();
    await inspector.getByRole('option', { name: /Launch/ }).click();
    expect(await project.inputValue()).toBe(asana.projects[0]!.gid);
    await h.screenshot(page, 'asana-node-dropdowns');
  }, 120_000);
});
