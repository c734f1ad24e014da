// The one translation of a zod failure into field errors, used by every edge (routes, server
// actions, CLI) so that messages read the same everywhere.
import type { ZodError, ZodType, output } from "zod";
import { DomainError, type FieldError } from "./domain-error";

export function zodFieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ field: i.path.join(".") || "(input)", message: i.message }));
}

/** "field: message; …", leaving out the field when the message already starts with its name. */
export function fieldErrorSummary(fields: FieldError[]): string {
  return fields.map((f) => (f.message.startsWith(f.field) ? f.message : `${f.field}: ${f.message}`)).join("; ");
}

/** The sentence of an "invalid" error: fixed, or built from the one-line summary of the fields. */
export type InvalidMessage = string | ((summary: string) => string);

/** A zod failure as the domain's "invalid" error, naming each field. */
export function fromZodError(err: ZodError, message?: InvalidMessage): DomainError {
  const fields = zodFieldErrors(err);
  const summary = fieldErrorSummary(fields);
  return DomainError.invalid(typeof message === "function" ? message(summary) : (message ?? summary), fields);
}

/**
 * Parses `value` with `schema` at an edge; a failure is a DomainError("invalid") naming the fields.
 * `message` replaces the generated one-line summary when the caller has a better sentence.
 */
export function parseInput<S extends ZodType>(schema: S, value: unknown, message?: InvalidMessage): output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error, message);
  return parsed.data;
}

/** Parses a form's values at a server action; a failure names the fields and says that nothing was done. */
export function parseForm<S extends ZodType>(schema: S, raw: unknown): output<S> {
  return parseInput(schema, raw, (summary) => `Nothing was done. ${summary}`);
}
