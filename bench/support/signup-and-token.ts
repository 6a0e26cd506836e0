// A fresh user with a personal API token, made the way a script owner would: sign up (session
// cookie + CSRF token), then POST /api/tokens.
import { randomBytes } from 'node:crypto';
import { apiCall, stringField } from './api-client.ts';

export interface BenchUser {
  userId: string;
  email: string;
  token: string;
}

export async function signupAndToken(baseUrl: string): Promise<BenchUser> {
  const email = `bench-${randomBytes(6).toString('hex')}@example.test`;
  const signup = await apiCall(baseUrl, '/api/auth/signup', {
    method: 'POST',
    body: { email, password: randomBytes(18).toString('base64url') },
    expect: 201,
  });
  const cookie = signup.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('signup: no session cookie in the response');
  const csrfToken = stringField(signup.json, 'csrfToken', 'signup');
  const user = (signup.json as { user?: unknown }).user;
  const created = await apiCall(baseUrl, '/api/tokens', {
    method: 'POST',
    body: { name: 'bench' },
    headers: { cookie, 'x-csrf-token': csrfToken },
    expect: 201,
  });
  return { userId: stringField(user, 'id', 'signup'), email, token: stringField(created.json, 'token', 'create token') };
}
