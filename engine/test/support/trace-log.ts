// An ordered trace shared by test nodes and instrumented stores. Its own module, with no
// imports, so a vi.mock factory can load it without pulling in the engine it instruments.
export const traceLog: string[] = [];
