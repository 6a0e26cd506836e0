#!/usr/bin/env node
// `npm run dev`: the API server (embedded mode, as `npm start`) and Vite's dev server with hot
// reload, which proxies /api and /hooks to it. Ctrl-C stops both. Run by scripts/run.mjs with
// the Node 24 toolchain.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '3000';
const apiUrl = `http://127.0.0.1:${port}`;
const children = [];

function start(name, args, cwd, env) {
  process.stderr.write(`[keyflow] dev: starting ${name}\n`);
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    process.stderr.write(`[keyflow] dev: ${name} stopped (${signal ?? code}); stopping the rest\n`);
    stopAll();
    process.exitCode = code ?? 1;
  });
  children.push(child);
}

function stopAll(signal = 'SIGTERM') {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
}
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => stopAll(s));

start('the API server on ' + apiUrl, [join(root, 'server/src/cli.ts'), 'start'], root, { PORT: port });
start('Vite (hot reload; open the URL it prints)', [join(root, 'editor/node_modules/vite/bin/vite.js')], join(root, 'editor'), { KEYFLOW_API_URL: apiUrl });
