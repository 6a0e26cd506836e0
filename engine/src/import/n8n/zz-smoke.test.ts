import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { translateSegment } from '@keyflow/engine/import';
test('smoke', () => {
  const dir = '/work/shared/corpus/n8n';
  const kept: string[] = []; let ok = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    for (const m of text.matchAll(/\{\{(.*?)\}\}/g)) {
      const t = translateSegment(JSON.parse(`"${m[1]}"`), { refOf: () => "$node[\"x\"].output", current: '$node["p"].output' });
      if (t === undefined) kept.push(m[1]!.slice(0, 100)); else ok++;
    }
  }
  console.log(ok, kept.length);
  console.log(kept.sort(() => Math.random() - 0.5).slice(0, 70).join('\n'));
});
