// Entry points end with one clear sentence for known failures, not a stack trace.
import { ZodError } from "zod";
import { DomainError } from "../lib/errors/domain-error";
import { fieldErrorSummary, zodFieldErrors } from "../lib/errors/field-errors";

export function reportFatal(e: unknown, exitCode = 1): never {
  // An unreachable database or a bad setting: the message says what to change.
  if (e instanceof DomainError && (e.code === "database-unreachable" || e.code === "config"))
    console.error(`\n${e.message}\n`);
  else if (e instanceof ZodError) console.error(fieldErrorSummary(zodFieldErrors(e)));
  else if (e instanceof DomainError && e.fields.length > 0)
    console.error(`${e.message}\n${fieldErrorSummary(e.fields)}`);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(exitCode);
}
