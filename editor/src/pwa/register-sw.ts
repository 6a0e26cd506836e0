// Registers the service worker (public/sw.js) so the editor installs as an app. Only in the
// built editor: under Vite's dev server a worker would cache modules that hot reload replaces.
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After load, so registering never competes with the first screen.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
      // Not fatal: the app works without it, it just does not install or load offline.
      console.info('Keyflow could not register its service worker:', err instanceof Error ? err.message : String(err));
    });
  });
}
