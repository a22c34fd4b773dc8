/**
 * The one error type. Every failure a client can see has a stable code that
 * maps to one HTTP status; 4xx errors name the fields at fault and why.
 */

export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_encoding: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  mfa_required: 401,
  invalid_code: 401,
  csrf_failed: 403,
  client_certificate_required: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 429,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  /** Dotted path of the field, e.g. `body.roles.0` or `query.limit`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    fields: FieldError[] = [],
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = fields;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static notFound(what = "resource"): AppError {
    return new AppError("not_found", `No such ${what}.`);
  }

  static field(path: string, message: string, code: ErrorCode = "validation_failed"): AppError {
    return new AppError(code, `${path}: ${message}`, [{ path, message }]);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields: FieldError[]; requestId?: string } & Record<
    string,
    unknown
  >;
}
