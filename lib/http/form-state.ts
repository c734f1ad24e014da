// The one mapping of a failure to a server action's form state. Server actions return it to the form
// (useActionState) instead of throwing, so the page can show the message and the fields to fix.
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { DomainError, type FieldError } from "../errors/domain-error";
import { fromZodError } from "../errors/field-errors";
import { logger } from "../logging/logger";

/** What a form shows after its action ran; `Extra` is what one form adds (a link shown once, a table). */
export type FormState<Extra extends object = Record<never, never>> = {
  ok: boolean;
  message: string;
  /** Field name -> the first message for it; the form shows it beside the field. */
  fieldErrors?: Record<string, string>;
} & Partial<Extra>;

export const INITIAL_FORM_STATE: FormState = { ok: false, message: "" };

/**
 * A form names fields as its inputs do: "variants" for "variants.2" (list items are one input), "form"
 * for a failure of the whole input.
 */
function formFieldName(field: string): string {
  const name = field
    .split(".")
    .filter((part) => !/^\d+$/.test(part))
    .join(".");
  return name === "" || name === "(input)" ? "form" : name;
}

export function formFieldErrors(fields: readonly FieldError[]): Record<string, string> | undefined {
  if (fields.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const f of fields) out[formFieldName(f.field)] ??= f.message;
  return out;
}

/**
 * A domain failure becomes a message (and field errors); Next's own control flow (redirect, notFound,
 * forbidden) is rethrown; anything else is logged and reported without details.
 */
export function toFormState(e: unknown): FormState {
  unstable_rethrow(e);
  const error = e instanceof ZodError ? fromZodError(e) : e;
  if (error instanceof DomainError) {
    const fieldErrors = formFieldErrors(error.fields);
    return { ok: false, message: error.message, ...(fieldErrors ? { fieldErrors } : {}) };
  }
  logger.error({ err: e }, "server action failed");
  return { ok: false, message: "Something went wrong on the server; see the server log." };
}
