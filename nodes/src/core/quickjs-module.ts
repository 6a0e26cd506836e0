// The QuickJS WebAssembly module, compiled once per process on first use. Compiling costs tens
// of milliseconds and some megabytes; every execution then gets its own runtime from it (a
// runtime has its own heap, so nothing is shared between executions but the compiled code).
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';

let loading: Promise<QuickJSWASMModule> | undefined;

export function quickJsModule(): Promise<QuickJSWASMModule> {
  loading ??= newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync')).catch((err: unknown) => {
    // A failed load (a missing file) is not cached: the next execution tries again.
    loading = undefined;
    throw err;
  });
  return loading;
}

/**
 * Forgets the module after the WebAssembly instance itself failed (a trap, or the host's stack
 * overflowing under deep recursion): its memory may be in any state, so the next execution
 * compiles a fresh one.
 */
export function discardQuickJsModule(): void {
  loading = undefined;
}
