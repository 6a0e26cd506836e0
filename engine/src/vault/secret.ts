import { maskSecret } from './mask-secret.ts';

/**
 * A decrypted credential. Every implicit conversion (JSON, string, inspect, console, template
 * strings, errors) yields the mask; only `reveal()` gives the value, at the point of use.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The raw value. Call it where the value leaves the process (an HTTP header), nowhere else. */
  reveal(): string {
    return this.#value;
  }

  /** The masked form, e.g. `sk-…abcd`. */
  get masked(): string {
    return maskSecret(this.#value);
  }

  toJSON(): string {
    return this.masked;
  }

  toString(): string {
    return this.masked;
  }

  valueOf(): string {
    return this.masked;
  }

  [Symbol.toPrimitive](): string {
    return this.masked;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${this.masked})`;
  }
}
