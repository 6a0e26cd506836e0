// Vite's ambient types (CSS imports) for the inspector's files, until the shell's env.d.ts is merged; duplicate references are harmless.
/// <reference types="vite/client" />
