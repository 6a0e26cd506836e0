// The one list of commands every deploy recipe runs: the Dockerfile, docker-compose.yml, the
// systemd units and the test that runs them as plain processes (server/test/production-build.test.ts)
// all use these, and that test fails when a recipe's line drifts from them.

import { QUEUE_NODE_FLAGS, SERVE_NODE_FLAGS } from '../scripts/process-env.mjs';

/** Build stage, from a checkout: compile, build the editor, install production dependencies into build/. */
export const BUILD_COMMAND = ['node', 'scripts/run.mjs', 'build'];

/** Node flags of every production process: no type stripping (nothing but compiled .js may load). */
export const NODE_FLAGS = ['--no-experimental-strip-types'];

/** `start` (SERVE_NODE_FLAGS), `server` and `worker` (QUEUE_NODE_FLAGS) also get the V8 flags `npm start` and `npm run keyflow` give them (less RSS under load; scripts/process-env.mjs). */
export { QUEUE_NODE_FLAGS, SERVE_NODE_FLAGS };

/** The entry point of the built folder (written by scripts/build.mjs with the flags above), run from inside it. */
export const ENTRYPOINT = ['bin/keyflow'];

/** The roles of a deployment and their arguments. */
export const ROLES = { migrate: ['migrate'], server: ['server'], worker: ['worker'] };

/** A process of the built folder: `bin/keyflow <command…>`. */
export function processCommand(...args) {
  return [...ENTRYPOINT, ...args];
}
