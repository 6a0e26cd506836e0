// The editor's entry: one QueryClient, the session-expiry hook, the routes.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from './api/client.ts';
import { installSessionExpiry } from './auth/session.ts';
import { Routes } from './app/routes.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { registerServiceWorker } from './pwa/register-sw.ts';
import './styles/tokens.css';
import './styles/base.css';

installSessionExpiry();
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ErrorBoundary area="Keyflow">
        <Routes />
      </ErrorBoundary>
    </QueryClientProvider>
  </StrictMode>,
);
