// Google's SDKs load on the first Google call, not in every process at start-up:
// google-auth-library and the Drive, Gmail, Sheets and Calendar packages (with gaxios and
// googleapis-common, about 80 modules and 4.6 MB of V8 heap). callGoogle awaits loadGoogleSdk()
// before it runs a call, so the client API pinned in client.ts stays synchronous inside one.
import type * as Auth from 'google-auth-library';
import type * as Calendar from '@googleapis/calendar';
import type * as Drive from '@googleapis/drive';
import type * as Gmail from '@googleapis/gmail';
import type * as Sheets from '@googleapis/sheets';

export interface GoogleSdk {
  JWT: typeof Auth.JWT;
  OAuth2Client: typeof Auth.OAuth2Client;
  drive: typeof Drive.drive;
  gmail: typeof Gmail.gmail;
  sheets: typeof Sheets.sheets;
  calendar: typeof Calendar.calendar;
}

let sdk: GoogleSdk | undefined;
let loading: Promise<GoogleSdk> | undefined;

/** Loads the SDKs once; a failed load is tried again by the next call. */
export function loadGoogleSdk(): Promise<GoogleSdk> {
  loading ??= Promise.all([import('google-auth-library'), import('@googleapis/drive'), import('@googleapis/gmail'), import('@googleapis/sheets'), import('@googleapis/calendar')]).then(
    ([auth, drive, gmail, sheets, calendar]) => (sdk = { JWT: auth.JWT, OAuth2Client: auth.OAuth2Client, drive: drive.drive, gmail: gmail.gmail, sheets: sheets.sheets, calendar: calendar.calendar }),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** The loaded SDKs; only inside callGoogle (or after `await loadGoogleSdk()`). */
export function googleSdk(): GoogleSdk {
  if (!sdk) throw new Error("Google's SDK is not loaded yet: call Google inside callGoogle, which loads it");
  return sdk;
}
