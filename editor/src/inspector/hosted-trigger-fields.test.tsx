// @vitest-environment jsdom
// The form trigger's settings come out of its schema like any node's: a list of fields, each
// with its own controls, and a new field starts from the schema's defaults.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { descriptor } from './test-descriptors.ts';
import { installDomShims, renderInspector, stubApi } from './test-render.tsx';

beforeAll(installDomShims);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('core.form in the inspector', () => {
  it('edits the list of form fields from the schema', async () => {
    stubApi({});
    const user = userEvent.setup();
    const r = renderInspector({ node: { id: 'form', type: 'core.form', config: { fields: [{ label: 'Email', name: 'email', type: 'email', required: true }] } }, descriptor: descriptor('core.form'), upstream: [] });
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    const item = screen.getAllByRole('listitem')[0]!;
    // The field's type is a choice among the form's field types.
    expect(within(item).getAllByRole('combobox').length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'Add to Fields' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    const fields = (r.config() as { fields: unknown[] }).fields;
    expect(fields).toHaveLength(2);
    expect(fields[0]).toEqual({ label: 'Email', name: 'email', type: 'email', required: true });
  });
});
