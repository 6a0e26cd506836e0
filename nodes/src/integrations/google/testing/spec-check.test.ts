import { describe, expect, it } from 'vitest';
import { specProblems } from './spec-check.ts';

const req = (method: string, path: string, query = '') => ({ method, path, query: new URLSearchParams(query), headers: {}, body: Buffer.alloc(0) });

describe('the Google spec check', () => {
  it('accepts requests that fit and skips the OAuth endpoints', () => {
    expect(specProblems(req('GET', '/drive/v3/files', 'q=x&pageSize=10&fields=files(id)'))).toEqual([]);
    expect(specProblems(req('POST', '/upload/drive/v3/files', 'uploadType=multipart&fields=id'))).toEqual([]);
    expect(specProblems(req('POST', '/v4/spreadsheets/abc/values/A1:append', 'valueInputOption=RAW'))).toEqual([]);
    expect(specProblems(req('POST', '/token'))).toEqual([]);
  });

  it('names an undeclared parameter, a bad enum value, a missing required one and an unknown method', () => {
    expect(specProblems(req('GET', '/drive/v3/files', 'folder=1'))[0]).toContain('folder is not declared');
    expect(specProblems(req('POST', '/v4/spreadsheets/abc/values/A1:append', 'valueInputOption=PARSED'))[0]).toContain('not one of');
    expect(specProblems(req('PUT', '/v4/spreadsheets/abc/values/A1'))[0]).toContain('required valueInputOption is missing');
    expect(specProblems(req('DELETE', '/drive/v3/files/abc'))[0]).toContain('no such method');
    expect(specProblems(req('POST', '/upload/drive/v3/files'))[0]).toContain('uploadType');
  });

  it('covers Gmail and Calendar (the methods Keyflow calls)', () => {
    expect(specProblems(req('GET', '/gmail/v1/users/me/history', 'startHistoryId=10&historyTypes=messageAdded&labelId=INBOX&maxResults=500'))).toEqual([]);
    expect(specProblems(req('GET', '/gmail/v1/users/me/messages/abc', 'format=metadata&metadataHeaders=From&metadataHeaders=Subject'))).toEqual([]);
    expect(specProblems(req('POST', '/calendar/v3/calendars/primary/events', 'sendUpdates=none&conferenceDataVersion=0'))).toEqual([]);
    expect(specProblems(req('GET', '/gmail/v1/users/me/history', 'startHistoryId=10&historyTypes=messageMoved'))[0]).toContain('not one of');
    expect(specProblems(req('GET', '/gmail/v1/users/me/messages/abc', 'format=pretty'))[0]).toContain('not one of');
    expect(specProblems(req('POST', '/calendar/v3/calendars/primary/events', 'sendUpdates=everyone'))[0]).toContain('not one of');
    expect(specProblems(req('GET', '/calendar/v3/calendars/primary/events', 'since=today'))[0]).toContain('since is not declared');
    expect(specProblems(req('PUT', '/gmail/v1/users/me/labels'))[0]).toContain('no such method');
  });
});
