// Node-RED as the reference point: installed by the bench into a scratch folder (cached between
// runs, never a project dependency), started as its own process with a generated flows file:
// POST /hook1 and /hook20 → 1 or 20 change nodes → http response.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onCleanup } from './cleanup.ts';
import { freePort, spawnTracked, type KeyflowProcess } from './engine-process.ts';

export const NODE_RED_VERSION = '5.0.7';
const scratch = join(tmpdir(), 'keyflow-bench-node-red');
const redJs = join(scratch, 'node_modules', 'node-red', 'red.js');

function installedVersion(): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(scratch, 'node_modules', 'node-red', 'package.json'), 'utf8'));
    const v = typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>).version : undefined;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Installs the pinned Node-RED unless the scratch folder has it; returns why not on failure. */
export async function ensureNodeRed(progress: (msg: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (installedVersion() === NODE_RED_VERSION && existsSync(redJs)) return { ok: true };
  progress(`installing node-red@${NODE_RED_VERSION} into ${scratch} (cached for later runs)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await promisify(execFile)(npm, ['install', '--prefix', scratch, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node-red@${NODE_RED_VERSION}`], { timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `npm install node-red@${NODE_RED_VERSION} failed: ${msg.split('\n').slice(0, 3).join(' ')}` };
  }
  return installedVersion() === NODE_RED_VERSION ? { ok: true } : { ok: false, reason: 'npm install finished but node-red is not in the scratch folder' };
}

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** http in (POST `url`) → `steps` change nodes (JSONata, as each Keyflow transform evaluates one template) → http response. */
export function nodeRedFlow(url: string, steps: number, prefix: string): FlowNode[] {
  const ids = Array.from({ length: steps }, (_, i) => `${prefix}-change-${i + 1}`);
  const input: FlowNode = { id: `${prefix}-in`, type: 'http in', z: 'bench', name: '', url, method: 'post', upload: false, swaggerDoc: '', x: 0, y: 0, wires: [[ids[0]]] };
  const changes: FlowNode[] = ids.map((id, i) => ({
    id, type: 'change', z: 'bench', name: '', x: 0, y: 0,
    rules: [{ t: 'set', p: 'payload.greeting', pt: 'msg', to: '"Hello " & payload.name', tot: 'jsonata' }],
    wires: [[ids[i + 1] ?? `${prefix}-out`]],
  }));
  const output: FlowNode = { id: `${prefix}-out`, type: 'http response', z: 'bench', name: '', statusCode: '', headers: {}, x: 0, y: 0, wires: [] };
  return [input, ...changes, output];
}

export function nodeRedFlows(): FlowNode[] {
  return [{ id: 'bench', type: 'tab', label: 'bench', disabled: false, info: '' }, ...nodeRedFlow('/hook1', 1, 'one'), ...nodeRedFlow('/hook20', 20, 'twenty')];
}

export interface NodeRedProcess extends Pick<KeyflowProcess, 'pid' | 'rssBytes' | 'cpuMs' | 'stop'> {
  origin: string;
}

/** Starts Node-RED on a free loopback port with the bench flows; resolves once /hook1 answers. */
export async function startNodeRed(): Promise<NodeRedProcess> {
  const port = await freePort();
  const userDir = mkdtempSync(join(tmpdir(), 'keyflow-bench-nr-user-'));
  const removeDir = onCleanup(() => rmSync(userDir, { recursive: true, force: true }));
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(nodeRedFlows()));
  // Editor left on (Node-RED's default); nothing that would phone home.
  const settings = {
    uiHost: '127.0.0.1', uiPort: port, userDir, flowFile: 'flows.json', credentialSecret: false,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false }, diagnostics: { enabled: false, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    editorTheme: { palette: { catalogues: [] }, projects: { enabled: false }, tours: false },
  };
  const settingsFile = join(userDir, 'settings.cjs');
  writeFileSync(settingsFile, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  const proc = spawnTracked({ label: 'node-red', args: [redJs, '--settings', settingsFile, '--userDir', userDir], cwd: scratch, env: {} });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(userDir, { recursive: true, force: true });
    removeDir();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.cpuMs() === undefined) {
      await stop();
      throw new Error(`node-red exited during start-up:\n${proc.output().trim()}`);
    }
    try {
      const res = await fetch(`${origin}/hook1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}', signal: AbortSignal.timeout(1000) });
      const text = await res.text();
      if (res.ok && text.includes('Hello x')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`node-red did not answer ${origin}/hook1 within 30 s:\n${proc.output().trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, pid: proc.pid, rssBytes: proc.rssBytes, cpuMs: proc.cpuMs, stop };
}
