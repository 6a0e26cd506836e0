// One stack of undo steps per bench process, run newest first on success, on error and on
// Ctrl-C, so a stopped run leaves no server process or database behind.
type Step = () => Promise<void> | void;

const steps: Step[] = [];
let running: Promise<void> | undefined;

/** Registers an undo step; the returned function removes it (for resources already released). */
export function onCleanup(step: Step): () => void {
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i !== -1) steps.splice(i, 1);
  };
}

/** Runs every registered step once, newest first; a failing step does not stop the others. */
export function runCleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      try {
        await step();
      } catch (err) {
        process.stderr.write(`bench: cleanup step failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  })();
  return running;
}

/** On SIGINT/SIGTERM: clean up, then exit with the conventional 128 + signal number. */
export function cleanupOnSignals(): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\nbench: ${signal}, cleaning up…\n`);
    void runCleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => handle('SIGINT', 130));
  process.once('SIGTERM', () => handle('SIGTERM', 143));
}
