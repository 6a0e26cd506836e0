// Types of scripts/build.mjs for the TypeScript callers (tests, bench).
export declare function productionManifest(pkg: Record<string, unknown>): Record<string, unknown>;
export declare function build(options?: { install?: boolean }): void;
