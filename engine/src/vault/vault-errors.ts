/** The one error every failed decryption throws, so callers cannot tell padding from MAC failures. */
export class InvalidToken extends Error {
  readonly code = 'INVALID_TOKEN';

  constructor() {
    super('credential could not be decrypted');
    this.name = 'InvalidToken';
  }
}

/** Bad or missing key configuration. Messages name the source, never the key material. */
export class KeyringConfigError extends Error {
  readonly code = 'KEYRING_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'KeyringConfigError';
  }
}
