export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** n8n's resource locator ({ __rl: true, value, mode }) or a plain value, as text. */
export function locatorValue(value: unknown): unknown {
  return isRecord(value) && '__rl' in value ? value.value : value;
}
