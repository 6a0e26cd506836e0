// Types of scripts/process-env.mjs for the TypeScript callers (the benches).
export declare const SERVE_NODE_FLAGS: string[];
export declare const QUEUE_NODE_FLAGS: string[];
export declare function nodeFlagsFor(command: string | undefined): string[];
export declare const MALLOC_ENV: { MALLOC_MMAP_THRESHOLD_: string };
export declare const QUEUE_MALLOC_ENV: { MALLOC_ARENA_MAX: string };
export declare const QUEUE_COMMANDS: string[];
export declare function compileCacheDir(root: string): string;
export declare function keyflowProcessEnv<E extends Record<string, string | undefined>>(root: string, env: E, command?: string): E & { NODE_COMPILE_CACHE?: string; MALLOC_MMAP_THRESHOLD_?: string; MALLOC_ARENA_MAX?: string };
