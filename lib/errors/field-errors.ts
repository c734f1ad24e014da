// The one translation of a zod failure into field errors, used by every edge (routes, server
// actions, CLI) so that messages read the same everywhere.
import type { ZodError } from "zod";
import { DomainError, type FieldError } from "./domain-error";

export function zodFieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ field: i.path.join(".") || "(input)", message: i.message }));
}

export function fieldErrorSummary(fields: FieldError[]): string {
  return fields.map((f) => `${f.field}: ${f.message}`).join("; ");
}

/** A zod failure as the domain's "invalid" error, naming each field. */
export function fromZodError(err: ZodError): DomainError {
  const fields = zodFieldErrors(err);
  return DomainError.invalid(fieldErrorSummary(fields), fields);
}
