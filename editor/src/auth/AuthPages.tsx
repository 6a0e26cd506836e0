// Log-in and sign-up pages. Both return the person to `?next=` (same-app paths only).
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import { Link, safeReturnPath, useLocation } from '../app/router.tsx';
import { errorMessage, Field } from '../app/Field.tsx';
import { signedIn, type Me } from './session.ts';
import './auth.css';

const MIN_PASSWORD = 10;

function useNext(): { next: string; expired: boolean; query: string } {
  const { search } = useLocation();
  const raw = search.get('next');
  const next = safeReturnPath(raw);
  return { next, expired: search.get('expired') === '1', query: next !== '/' ? `?next=${encodeURIComponent(next)}` : '' };
}

function AuthCard(props: { title: string; children: React.ReactNode }) {
  return (
    <main className="kf-auth">
      <div className="kf-auth__brand" aria-hidden="true">
        <img src="/favicon.svg" alt="" width={28} height={28} /> Keyflow
      </div>
      <section className="kf-auth__card" aria-labelledby="auth-title">
        <h1 id="auth-title">{props.title}</h1>
        {props.children}
      </section>
    </main>
  );
}

export function LoginPage() {
  const { next, expired, query } = useNext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/auth/login', { email: email.trim(), password });
      signedIn(me, next);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong email or password.' : errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Log in">
      {expired && (
        <p className="kf-alert kf-alert--info" role="status">
          Your session has ended. Log in again to continue where you left off; unsaved edits are kept in this browser.
        </p>
      )}
      {error && (
        <p className="kf-alert" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="kf-button kf-button--primary kf-auth__submit" disabled={busy || !email || !password}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="kf-auth__switch">
        New to Keyflow? <Link to={`/signup${query}`}>Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function SignupPage() {
  const { next, query } = useNext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (password.length < MIN_PASSWORD) return;
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/auth/signup', { email: email.trim(), password });
      signedIn(me, next);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(errorMessage(err)));
      setBusy(false);
    }
  }

  const apiError = error instanceof ApiError ? error : undefined;
  const general = error && !(apiError && apiError.fields.length > 0) ? (apiError?.code === 'signup_refused' ? 'Could not create an account with these details. If you already have one, log in instead.' : error.message) : null;
  return (
    <AuthCard title="Create your account">
      {general && (
        <p className="kf-alert" role="alert">
          {general}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={apiError?.fieldMessage('body.email')} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          onBlur={() => setTouched(true)}
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={touched && password.length < MIN_PASSWORD ? `Must be at least ${MIN_PASSWORD} characters.` : apiError?.fieldMessage('body.password')}
        />
        <button type="submit" className="kf-button kf-button--primary kf-auth__submit" disabled={busy || !email}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p className="kf-auth__switch">
        Already have an account? <Link to={`/login${query}`}>Log in</Link>
      </p>
    </AuthCard>
  );
}
