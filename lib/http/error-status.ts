// The one place where a domain error's kind becomes an HTTP status.
import type { DomainErrorKind } from "../errors/domain-error";

export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  gone: 410,
  "too-large": 413,
  unsupported: 415,
  "rate-limited": 429,
  unavailable: 503,
};
