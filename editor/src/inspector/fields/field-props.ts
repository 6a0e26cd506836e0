import type { JsonSchema } from '../types.ts';

/** What every control receives: its value, where it sits, and how to report a new value. */
export interface ControlProps<T = unknown> {
  /** id of the focusable control (the <label> points at it). */
  id: string;
  /** id of the <label> element, for controls that are not labelable elements. */
  labelId: string;
  /** ids of help text and errors. */
  describedBy?: string;
  invalid: boolean;
  schema: JsonSchema;
  /** Dotted path of this value in the config. */
  path: string;
  title: string;
  required: boolean;
  value: T | undefined;
  /** undefined removes the key (an optional field left empty). */
  onChange(value: T | undefined): void;
  /** The object holding this field (the cron field reads its sibling `timezone`). */
  siblings?: Record<string, unknown>;
}
