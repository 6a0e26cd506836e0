// `npm run bench -- google` (no database, about 20 s): the Google client path of one
// sheets.append_rows step against the fake Google on loopback — the per-API package, the
// guarded fetch, the error mapping — with an OAuth access token, with a service-account key
// (the JWT client cached per key and scopes: one token exchange, then plain calls), and with
// that cache emptied before every call (what each step would cost without it: an RS256
// signature and a token request). Prints p50/p99 per call and the token exchanges made.
import { cpus, loadavg } from 'node:os';
import { parseNodeConfig } from '@keyflow/nodes/contract';
import { createIntegrationTestContext, testCredential } from '@keyflow/nodes/integrations/testing';
import { clearGoogleClientCache, createFakeGoogle, fakeSheets } from '@keyflow/nodes/testing/fake-google';
import { defaultRegistry } from '@keyflow/nodes';
import { timeOp } from './support/ai-timing.ts';
import { onCleanup } from './support/cleanup.ts';
import { formatTable } from './support/format-table.ts';

const ITERATIONS = Number(process.env.KEYFLOW_BENCH_GOOGLE_ITERATIONS ?? 300);

export async function runGoogleBench(): Promise<void> {
  const fake = await createFakeGoogle();
  onCleanup(() => fake.close());
  const node = defaultRegistry.get('sheets.append_rows', 1);
  if (!node) throw new Error('sheets.append_rows is not registered');
  const sheet = fakeSheets(fake).addSpreadsheet('Bench', { Log: [['a', 'b']] });
  const config = parseNodeConfig(node, { spreadsheetId: sheet.spreadsheetId, range: 'Log!A:B', rows: [['x', 1]] });
  const step = (secret: string) => async () => {
    const ctx = createIntegrationTestContext(config, { credential: testCredential({ provider: 'google', secret }), baseUrls: { google: fake.url } });
    await node.run(ctx as never);
    sheet.sheets.set('Log', [['a', 'b']]); // keep the sheet small: appends stay O(1)
  };
  const exchanges = () => fake.requests.filter((r) => r.path === '/token').length;
  const token = fake.issueToken({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
  const key = fake.serviceAccountKey();
  const rows: string[][] = [];
  for (const [name, op] of [
    ['OAuth access token', step(token)],
    ['service-account key, JWT client cached', step(key)],
    ['service-account key, no cache (a token exchange per call)', async () => { clearGoogleClientCache(); await step(key)(); }],
  ] as const) {
    fake.requests.length = 0;
    const t = await timeOp(op, { iterations: ITERATIONS, warmup: 20 });
    rows.push([name, String(t.iterations), (t.p50Us / 1000).toFixed(2), (t.p99Us / 1000).toFixed(2), String(exchanges())]);
  }
  process.stdout.write(`cpus ${cpus().length}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`${formatTable(['sheets.append_rows via', 'calls', 'p50 ms', 'p99 ms', 'token exchanges (with warm-up)'], rows)}\n`);
}
