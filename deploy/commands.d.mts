// Types of deploy/commands.mjs for the TypeScript callers (tests, bench).
export declare const BUILD_COMMAND: string[];
export declare const NODE_FLAGS: string[];
export declare const QUEUE_NODE_FLAGS: string[];
export declare const SERVE_NODE_FLAGS: string[];
export declare const ENTRYPOINT: string[];
export declare const ROLES: { migrate: string[]; server: string[]; worker: string[] };
export declare function processCommand(...args: string[]): string[];
