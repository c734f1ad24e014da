// The one failure type of the domain. Domain code throws it with a kind that says what went wrong
// in the caller's terms; the web edge (lib/http) maps the kind to an HTTP status or a form state in
// one place, and the CLI to an exit code. Domain code never chooses a status itself.

export type DomainErrorKind =
  | "invalid" // the input breaks a rule: 400 / form field errors
  | "unauthenticated" // no valid session: 401
  | "forbidden" // signed in, but not allowed: 403
  | "not-found" // nothing the caller may see exists there: 404
  | "conflict" // the state changed or already exists: 409
  | "gone" // existed, but is expired or revoked: 410
  | "too-large" // a body or file over its limit: 413
  | "unsupported" // a media type the endpoint does not take: 415
  | "rate-limited" // too many attempts: 429
  | "unavailable"; // a dependency (database, storage) is down; retrying may work: 503

export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  fields?: FieldError[];
  details?: unknown;
  code?: string;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly fields: FieldError[];
  /** Extra machine-readable context for the client (never a stack trace or a secret). */
  readonly details?: unknown;
  /** A stable reason within the kind, for callers that react to one case (e.g. "root-missing"). */
  readonly code?: string;

  constructor(kind: DomainErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DomainError";
    this.kind = kind;
    this.fields = options.fields ?? [];
    this.details = options.details;
    this.code = options.code;
  }

  static invalid(message: string, fields?: FieldError[], details?: unknown): DomainError {
    return new DomainError("invalid", message, { fields, details });
  }

  static notFound(message: string): DomainError {
    return new DomainError("not-found", message);
  }

  static conflict(message: string, details?: unknown): DomainError {
    return new DomainError("conflict", message, { details });
  }

  static forbidden(message: string): DomainError {
    return new DomainError("forbidden", message);
  }
}

export function isDomainError(e: unknown, kind?: DomainErrorKind): e is DomainError {
  return e instanceof DomainError && (kind === undefined || e.kind === kind);
}
