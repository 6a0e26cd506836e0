import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const engineDir = fileURLToPath(new URL('..', import.meta.url));

// What a fresh process has in Node's CommonJS cache (ESM imports of CommonJS land there too) after importing the engine.
function packagesLoadedByEngineImport(): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import('@keyflow/engine');
    const names = new Set(Object.keys(createRequire(import.meta.url).cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k.slice(k.lastIndexOf('/node_modules/')))?.[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...names]));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: engineDir, encoding: 'utf8' })) as string[];
}

describe('start-up module graph', () => {
  it('does not load the Asana and Slack SDKs until they are used (nodemailer, an ES module, is not in this cache)', () => {
    const loaded = packagesLoadedByEngineImport();
    // The probe sees CommonJS packages the engine does load at start-up.
    expect(loaded).toContain('pg');
    expect(loaded).not.toContain('asana');
    expect(loaded).not.toContain('@slack/web-api');
  }, 60_000);
});
