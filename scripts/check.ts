// One lint and type-check command over the whole tree: `npm run check`.
// 1. tsc --noEmit over every package (strict). 2. Package boundaries from DESIGN.md.
import { spawnSync } from 'node:child_process';
import { checkBoundaries } from './boundaries.ts';

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
const problems = checkBoundaries(process.cwd());
for (const p of problems) console.error(`boundary: ${p}`);
if (tsc.status !== 0 || problems.length > 0) process.exit(1);
console.log('check: types and boundaries ok');
