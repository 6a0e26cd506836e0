import { describe, expect, it } from 'vitest';
import { ServiceProblemError } from '../framework/index.ts';
import { googleFetch, googleTarget } from './client.ts';

const seen: string[] = [];
const recordingFetch = (async (url: string | URL | Request) => {
  seen.push(String(url));
  return new Response('{}');
}) as typeof fetch;
const call = (baseUrl: string) => ({ baseUrl, fetch: recordingFetch, signal: AbortSignal.timeout(5_000) });

describe('the guarded Google fetch', () => {
  it('sends every official Google origin to KEYFLOW_GOOGLE_BASE_URL when set, and leaves them alone otherwise', async () => {
    expect(googleTarget(call('http://127.0.0.1:9'), 'https://sheets.googleapis.com/v4/spreadsheets/x?a=1')).toBe('http://127.0.0.1:9/v4/spreadsheets/x?a=1');
    expect(googleTarget(call('http://127.0.0.1:9'), 'https://oauth2.googleapis.com/token')).toBe('http://127.0.0.1:9/token');
    expect(googleTarget(call('https://www.googleapis.com'), 'https://sheets.googleapis.com/v4/x')).toBe('https://sheets.googleapis.com/v4/x');
    await googleFetch(call('https://www.googleapis.com'))('https://gmail.googleapis.com/gmail/v1/users/me/profile');
    expect(seen.at(-1)).toBe('https://gmail.googleapis.com/gmail/v1/users/me/profile');
  });

  it('refuses any other host (a Location header, a URL from config), before sending anything', async () => {
    const before = seen.length;
    for (const url of ['https://evil.example/upload?upload_id=1', 'http://www.googleapis.com/drive/v3/files', 'https://user:pw@www.googleapis.com/x', 'https://googleapis.com.evil.example/x']) {
      await expect(googleFetch(call('https://www.googleapis.com'))(url)).rejects.toBeInstanceOf(ServiceProblemError);
      await expect(googleFetch(call('http://127.0.0.1:9'))(url)).rejects.toBeInstanceOf(ServiceProblemError);
    }
    expect(seen.length).toBe(before);
  });
});
