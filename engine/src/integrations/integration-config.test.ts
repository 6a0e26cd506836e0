// Integration settings from the environment: OAuth clients in pairs, OAuth URL overrides as
// origins, base URLs reaching nodes as ctx.services, the check interval bounded.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { oauthApp } from '../oauth/oauth-app.ts';
import { serviceSettings } from './service-settings.ts';

describe('integration config', () => {
  it('needs client id and secret together, and never echoes the secret', () => {
    expect(() => loadConfig({ KEYFLOW_SLACK_CLIENT_ID: 'abc' })).toThrow(/KEYFLOW_SLACK_CLIENT_SECRET: is required when KEYFLOW_SLACK_CLIENT_ID is set/);
    expect(() => loadConfig({ KEYFLOW_NOTION_CLIENT_SECRET: 'shh-very-secret' })).toThrow(/KEYFLOW_NOTION_CLIENT_ID: is required when KEYFLOW_NOTION_CLIENT_SECRET is set/);
    try {
      loadConfig({ KEYFLOW_SLACK_CLIENT_ID: 'abc', KEYFLOW_SLACK_CLIENT_SECRET: 'with space secret' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect(String(err)).not.toContain('with space secret');
    }
    const c = loadConfig({ KEYFLOW_SLACK_CLIENT_ID: 'abc', KEYFLOW_SLACK_CLIENT_SECRET: 'def', KEYFLOW_SLACK_OAUTH_URL: 'http://127.0.0.1:4000/some/path' });
    expect(c.oauthClients.SLACK).toEqual({ clientId: 'abc', clientSecret: 'def' });
    expect(c.oauthUrls.SLACK).toBe('http://127.0.0.1:4000');
    expect(c.connectionCheckMinutes).toBe(60);
    expect(() => loadConfig({ KEYFLOW_CONNECTION_CHECK_MINUTES: 'often' })).toThrow(/KEYFLOW_CONNECTION_CHECK_MINUTES/);
  });

  it('an OAuth app exists only when configured; the override swaps the origin of every URL', () => {
    expect(oauthApp(loadConfig({}), 'slack')).toBeUndefined();
    const app = oauthApp(loadConfig({ KEYFLOW_SLACK_CLIENT_ID: 'abc', KEYFLOW_SLACK_CLIENT_SECRET: 'def', KEYFLOW_SLACK_OAUTH_URL: 'http://127.0.0.1:4000' }), 'slack')!;
    expect(app.as.authorization_endpoint).toBe('http://127.0.0.1:4000/oauth/v2/authorize');
    expect(app.as.token_endpoint).toBe('http://127.0.0.1:4000/api/oauth.v2.access');
    const real = oauthApp(loadConfig({ KEYFLOW_SLACK_CLIENT_ID: 'abc', KEYFLOW_SLACK_CLIENT_SECRET: 'def' }), 'slack')!;
    expect(real.as.token_endpoint).toBe('https://slack.com/api/oauth.v2.access');
    expect(oauthApp(loadConfig({}), 'nosuch')).toBeUndefined();
  });

  it('base URLs reach nodes by service id', () => {
    const s = serviceSettings(loadConfig({ KEYFLOW_SLACK_BASE_URL: 'http://127.0.0.1:5000/api/' }).serviceBaseUrls);
    expect(s.baseUrl('slack')).toBe('http://127.0.0.1:5000/api');
    expect(s.baseUrl('notion')).toBeUndefined();
  });
});
