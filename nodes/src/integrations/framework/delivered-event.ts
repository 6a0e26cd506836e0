// What a trigger started by the service's verified webhook deliveries hands on: the event its
// parser reads from the delivery's body (the run's trigger data is the request). A run started
// any other way with something that is not such a delivery fails, saying where runs come from.
import { NonRetriableNodeError } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';

export function deliveredEvent<T>(trigger: unknown, parse: (body: unknown) => T | undefined, missing: string): T {
  const event = parse(isRecord(trigger) ? trigger.body : undefined);
  if (event === undefined) throw new NonRetriableNodeError(missing);
  return event;
}
