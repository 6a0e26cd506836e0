// Vite's ambient types (CSS imports, import.meta.env) for the type-check of `npm run check`.
/// <reference types="vite/client" />
