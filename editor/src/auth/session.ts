// Who is signed in, as a TanStack query (key ['me']); the CSRF token rides along and the API
// client picks it up. Session expiry is handled in one place (installSessionExpiry).
import { useQuery } from '@tanstack/react-query';
import { api, onSessionExpired, queryClient, setCsrfToken } from '../api/client.ts';
import { navigate } from '../app/router.tsx';

export interface Me {
  user: { id: string; email: string };
  csrfToken?: string;
}

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: ({ signal }) => api<Me>('GET', '/api/auth/me', undefined, { signal }), staleTime: 5 * 60_000 });
}

/** The URL to log in and come back to `returnTo` afterwards. */
export function loginUrl(returnTo: string, expired = false): string {
  const q = new URLSearchParams();
  if (returnTo && returnTo !== '/') q.set('next', returnTo);
  if (expired) q.set('expired', '1');
  const s = q.toString();
  return s ? `/login?${s}` : '/login';
}

/**
 * A 401 mid-session sends the person to log in and back to where they were. Nothing stored in
 * the browser is cleared: the editor's unsaved drafts live in localStorage and must survive.
 * The cached server data is dropped so nothing of the old session shows after another login.
 */
export function installSessionExpiry(): () => void {
  return onSessionExpired(() => {
    const { pathname, search } = window.location;
    if (pathname === '/login' || pathname === '/signup') return;
    const hadSession = queryClient.getQueryData(meKey) !== undefined;
    setCsrfToken(undefined);
    navigate(loginUrl(pathname + search, hadSession), { replace: true });
    queueMicrotask(() => queryClient.clear());
  });
}

/** After log-in or sign-up: remember who, then go where the person was headed. */
export function signedIn(me: Me, next: string): void {
  queryClient.clear();
  queryClient.setQueryData(meKey, me);
  navigate(next, { replace: true });
}

/** The session is gone (logged out, account deleted): to the log-in page, nothing cached kept. */
export function signedOut(): void {
  setCsrfToken(undefined);
  navigate('/login', { replace: true });
  queueMicrotask(() => queryClient.clear());
}

export async function logOut(): Promise<void> {
  try {
    await api('POST', '/api/auth/logout');
  } finally {
    signedOut();
  }
}
