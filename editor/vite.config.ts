// Vite builds the editor into editor/dist: index.html plus hashed files under /assets/, the only
// place the app's CSP lets scripts come from (server/src/http/security-headers.ts). Nothing is
// inlined into index.html, and the workflow editor page is a lazy chunk so the list and sign-in
// screens load little. `npm run dev` serves it with HMR and proxies the API to the server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.KEYFLOW_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Never a data: or inline asset: the CSP allows scripts from /assets/ only.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2023',
    chunkSizeWarningLimit: 1500,
    // The timing report is noise in `npm start`'s output; the bench measures what matters.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.EDITOR_DEV_PORT ?? 5173),
    proxy: { '/api': api, '/hooks': api, '/healthz': api },
  },
});
