// Typed errors that every layer throws and the server maps to HTTP in one place.
export interface IssueDetail {
  path: (string | number)[];
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** A resource that does not exist or belongs to someone else: the two look the same. */
export class NotFound extends AppError {
  constructor(what: string) {
    super('not_found', 404, `${what} not found`);
  }
}

/** Input that fails validation; each issue names the field. */
export class Invalid extends AppError {
  readonly issues: IssueDetail[];
  constructor(message: string, issues: IssueDetail[] = []) {
    super('invalid', 422, message);
    this.issues = issues;
  }
}

export class BadRequest extends AppError {
  constructor(message: string) {
    super('bad_request', 400, message);
  }
}

export class Unauthorized extends AppError {
  constructor(message = 'authentication required') {
    super('unauthorized', 401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'forbidden') {
    super('forbidden', 403, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

export class TooManyRequests extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', 429, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class PayloadTooLarge extends AppError {
  constructor(limitBytes: number) {
    super('payload_too_large', 413, `request body is larger than ${limitBytes} bytes`);
  }
}

/** A configuration value that stops the process at start-up; names the variable. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
