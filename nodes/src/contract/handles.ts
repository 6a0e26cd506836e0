// Handle names shared by the contract, the graph validator, the executor and the editor.
// An edge whose sourceHandle/targetHandle is null or absent means MAIN_HANDLE, so a node
// with one output or one input needs no handle id (React Flow's default).

/** The default output and input of a node. */
export const MAIN_HANDLE = 'main';
/** core.condition's outputs. */
export const TRUE_HANDLE = 'true';
export const FALSE_HANDLE = 'false';
/** core.switch's fallback output. */
export const DEFAULT_HANDLE = 'default';
/** A loop node's outputs: the body runs once per item from ITEM; DONE fires once after all. */
export const LOOP_ITEM_HANDLE = 'item';
export const LOOP_DONE_HANDLE = 'done';
/**
 * A loop node's second input: the back edge from the end of its body. Reserved for loop
 * nodes; the graph validator exempts exactly these edges from the no-cycle rule.
 */
export const LOOP_BACK_HANDLE = 'next';

/** Handle ids and node/edge ids share one safe format. */
export const HANDLE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The handle an edge end refers to, with null/absent meaning MAIN_HANDLE. */
export function handleOf(handle: string | null | undefined): string {
  return handle ?? MAIN_HANDLE;
}
