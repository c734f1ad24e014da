// The one place where a domain error's kind becomes a command-line exit code: 2 when the caller's
// arguments are wrong (a bad value, a name that does not exist or is taken, a state that does not allow
// the command), 1 when the command failed for another reason (a dependency is down, a bug).
import { DomainError, type DomainErrorKind } from "./domain-error";

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const EXIT_CODE_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: EXIT_USAGE,
  unauthenticated: EXIT_USAGE,
  forbidden: EXIT_USAGE,
  "not-found": EXIT_USAGE,
  conflict: EXIT_USAGE,
  gone: EXIT_USAGE,
  "too-large": EXIT_USAGE,
  unsupported: EXIT_USAGE,
  "rate-limited": EXIT_FAILURE,
  unavailable: EXIT_FAILURE,
};

/** The exit code for an error that ends a command. */
export function exitCodeOf(e: unknown): number {
  return e instanceof DomainError ? EXIT_CODE_OF_KIND[e.kind] : EXIT_FAILURE;
}
