// The test payload of each workflow, remembered in this browser (localStorage), with a parse
// that names where the JSON is broken.
const KEY = (workflowId: string) => `keyflow.testPayload.${workflowId}`;
const MAX_CHARS = 1_000_000;

/** The payload remembered for the workflow, or undefined when none is (the trigger's sample event stands in). */
export function loadPayload(workflowId: string): string | undefined {
  try {
    return localStorage.getItem(KEY(workflowId)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The first payload of a workflow: its trigger's sample event (an app trigger's), else an empty object. */
export function defaultPayload(sampleEvent: unknown): string {
  return sampleEvent === undefined ? '{}' : JSON.stringify(sampleEvent, null, 2);
}

export function savePayload(workflowId: string, text: string): void {
  try {
    localStorage.setItem(KEY(workflowId), text);
  } catch {
    // Storage full or refused: the payload still works for this session.
  }
}

export function parsePayload(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.length > MAX_CHARS) return { ok: false, message: `the test payload is over ${MAX_CHARS.toLocaleString()} characters` };
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `the test payload is not JSON: ${(e as Error).message}` };
  }
}
