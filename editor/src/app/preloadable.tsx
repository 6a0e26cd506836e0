// A lazily loaded component that can be fetched ahead of use. React.lazy suspends on its first
// render even when the code has already arrived, and React holds a suspended boundary's content
// back for up to 300 ms after its fallback showed: a panel prefetched while the page was idle
// would still flash "Loading…" and appear late. Once preloaded, this renders the component
// directly, with no suspension.
import { lazy, type ComponentType } from 'react';

export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>): { Component: ComponentType<P>; preload(): Promise<ComponentType<P>> } {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = () => (pending ??= load().then((c) => (loaded = c), (error: unknown) => {
    // A failed download may be retried by the next render (a flaky network, a new build).
    pending = undefined;
    throw error;
  }));
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));
  function Preloadable(props: P) {
    const C = loaded ?? Lazy;
    return <C {...props} />;
  }
  return { Component: Preloadable, preload };
}
