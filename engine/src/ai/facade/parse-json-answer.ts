// A JSON answer as a value. Models asked for JSON without native structured output sometimes
// wrap it in a Markdown fence; that much is forgiven, anything else is a failed step.
import { NonRetriableNodeError } from '@keyflow/nodes/contract';

const fence = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i;

export function parseJsonAnswer(text: string, modelRef: string): unknown {
  const trimmed = text.trim();
  const body = fence.exec(trimmed)?.[1] ?? trimmed;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    // The text is the model's answer: kept out of the message, its length says enough.
    throw new NonRetriableNodeError(`${modelRef} did not answer with valid JSON`, { cause: err, details: { length: text.length } });
  }
}
