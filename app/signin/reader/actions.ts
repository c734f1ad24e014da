"use server";
import { requestEmailSignInLinks } from "@/lib/studies/invitations-reentry";
import { emailSchema } from "@/lib/users/user-input";
import type { FormState } from "@/lib/http/form-state";

// eslint-disable-next-line @typescript-eslint/require-await -- a server action must be an async function
export async function requestSignInLinkAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = emailSchema.safeParse(form.get("email"));
  if (!email.success) {
    return {
      ok: false,
      message: "Enter the email address your invitation was sent to.",
      fieldErrors: { email: "Enter a valid email address" },
    };
  }
  // Not awaited, and the same answer either way: neither the text nor the time taken tells whether the
  // address is invited anywhere.
  void requestEmailSignInLinks(email.data).catch((e: unknown) => console.error("sign-in link request:", e));
  return {
    ok: true,
    message: "If this address has an invitation, a sign-in link is on its way. Each link works once, for 30 minutes.",
  };
}
