// @vitest-environment jsdom
// A preloaded component renders at once, never through its Suspense fallback; one not
// preloaded suspends like React.lazy, and a failed download can be retried.
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense, type ComponentType } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preloadable } from './preloadable.tsx';

afterEach(cleanup);

const Hello = ({ name }: { name: string }) => <p>hello {name}</p>;
const view = (C: ComponentType<{ name: string }>) => (
  <Suspense fallback={<p>loading</p>}>
    <C name="ada" />
  </Suspense>
);

describe('preloadable', () => {
  it('renders a preloaded component without suspending', async () => {
    const load = vi.fn(async () => Hello);
    const { Component, preload } = preloadable(load);
    await preload();
    await preload();
    render(view(Component));
    // Synchronously, in the first commit: no fallback ever shown.
    expect(screen.getByText('hello ada')).toBeTruthy();
    expect(screen.queryByText('loading')).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('suspends when not preloaded, then shows the component', async () => {
    const { Component } = preloadable(async () => Hello);
    render(view(Component));
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('hello ada')).toBeTruthy();
  });

  it('tries the download again after it failed', async () => {
    const load = vi.fn<() => Promise<ComponentType<{ name: string }>>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(Hello);
    const { Component, preload } = preloadable(load);
    await expect(preload()).rejects.toThrow('offline');
    await act(async () => void (await preload()));
    render(view(Component));
    expect(screen.getByText('hello ada')).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
