// @vitest-environment jsdom
// The JSON viewer on a 5 MB step output: the first render holds a few hundred elements, not
// the value; pages open on request; the table pages rows; download hands over the whole value.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonView, PAGE, TABLE_PAGE } from './JsonView.tsx';

afterEach(cleanup);

function bigOutput() {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `customer ${i}`, email: `c${i}@example.test`, note: 'x'.repeat(180), tags: ['a', 'b'] }));
  const size = JSON.stringify(rows).length;
  return { rows, size };
}

describe('JsonView', () => {
  it('renders a 5 MB output without rendering it whole, and pages on request', () => {
    const { rows, size } = bigOutput();
    expect(size).toBeGreaterThan(5_000_000);
    const { container } = render(<JsonView value={rows} label="Output" />);
    expect(screen.getByText('[20,000 items]')).toBeTruthy();
    // The root opens one level: one page of collapsed rows.
    const items = () => container.querySelectorAll('.kf-json > li > ul > li');
    expect(items().length).toBe(PAGE + 1);
    expect(container.querySelectorAll('*').length).toBeLessThan(1500);
    fireEvent.click(screen.getByRole('button', { name: /^Show 100 more \(19,900 not shown\)/ }));
    expect(items().length).toBe(2 * PAGE + 1);
    // A row opens on click and shows its keys.
    fireEvent.click(screen.getByRole('button', { name: 'Expand 7' }));
    expect(screen.getByText('"customer 7"')).toBeTruthy();
  });

  it('shows an array of objects as a paged table', () => {
    const { rows } = bigOutput();
    const { container } = render(<JsonView value={rows} label="Output" />);
    fireEvent.click(screen.getByRole('radio', { name: 'Table' }));
    const table = container.querySelector('table')!;
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['#', 'id', 'name', 'email', 'note', 'tags']);
    expect(table.querySelectorAll('tbody tr').length).toBe(TABLE_PAGE);
    fireEvent.click(screen.getByRole('button', { name: /more rows/ }));
    expect(table.querySelectorAll('tbody tr').length).toBe(2 * TABLE_PAGE);
  });

  it('cuts a 5 MB string and shows all of it only when asked', () => {
    const text = 'y'.repeat(5_000_000);
    const { container } = render(<JsonView value={{ text }} label="Output" />);
    expect(container.textContent!.length).toBeLessThan(2000);
    fireEvent.click(screen.getByRole('button', { name: 'show all 5,000,000 characters' }));
    expect(container.textContent!.length).toBeGreaterThan(5_000_000);
  });

  it('downloads the full value', () => {
    const { rows } = bigOutput();
    let blob: Blob | undefined;
    const create = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:x';
    });
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: () => {} });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(<JsonView value={rows} label="Output" />);
    fireEvent.click(screen.getByRole('button', { name: 'Download full output' }));
    expect(click).toHaveBeenCalled();
    expect(blob!.size).toBeGreaterThan(5_000_000);
    click.mockRestore();
  });
});
