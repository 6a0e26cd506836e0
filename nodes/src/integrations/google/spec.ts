// Google's fixed facts, apart from its nodes (so the client can use them without a cycle).
// One integration ('google', one credential provider) covers Sheets, Drive, Gmail and Calendar.
export const googleSpec = {
  service: 'google',
  title: 'Google',
  /**
   * The Drive/Calendar API origin. KEYFLOW_GOOGLE_BASE_URL replaces it AND every other Google
   * origin below (Sheets, Gmail, OAuth token/tokeninfo/revoke, userinfo): one fake serves all.
   */
  defaultBaseUrl: 'https://www.googleapis.com',
  apiHosts: ['www.googleapis.com', 'sheets.googleapis.com', 'gmail.googleapis.com', 'oauth2.googleapis.com', 'openidconnect.googleapis.com'] as readonly string[],
  /** The OAuth endpoints (the token, tokeninfo and revoke ones follow KEYFLOW_GOOGLE_BASE_URL too). */
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
  tokenInfoUrl: 'https://oauth2.googleapis.com/tokeninfo',
  userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
  fixAuth: 'reconnect Google under Connections, or paste a new service-account JSON key under Keys',
} as const;

export const googleSubject = { title: googleSpec.title, fixAuth: googleSpec.fixAuth };

/** What every Google action node declares alike (spread into defineNode). */
export const googleAction = { category: 'integration', kind: 'action', credential: { provider: 'google' } } as const;
