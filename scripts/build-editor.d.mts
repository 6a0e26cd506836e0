// Types of scripts/build-editor.mjs for the TypeScript callers (the browser tests).
export declare function staleReason(): string | null;
export declare function ensureEditorBuilt(log?: (msg: string) => void): boolean;
export declare function precompressAssets(assetsDir: string): string[];
