import { ConfigError } from '../errors.ts';

/** The one error every failed decryption throws, so callers cannot tell padding from MAC failures. */
export class InvalidToken extends Error {
  readonly code = 'INVALID_TOKEN';

  constructor() {
    super('credential could not be decrypted');
    this.name = 'InvalidToken';
  }
}

/**
 * Bad or missing key configuration. A ConfigError, so start-up handles it like any other bad
 * variable; `variable` is the env name or the key file path, and the message never holds key text.
 */
export class KeyringConfigError extends ConfigError {
  constructor(variable: string, message: string) {
    super(variable, message);
    this.name = 'KeyringConfigError';
  }
}
