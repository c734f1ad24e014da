"use server";
import { requestEmailSignInLinks } from "@/lib/studies/invitations-reentry";
import { emailSchema } from "@/lib/users/user-input";

export interface SignInLinkState {
  sent: boolean;
  message: string;
}

export async function requestSignInLinkAction(_prev: SignInLinkState, form: FormData): Promise<SignInLinkState> {
  const email = emailSchema.safeParse(form.get("email"));
  if (!email.success) return { sent: false, message: "Enter the email address your invitation was sent to." };
  // Not awaited, and the same answer either way: neither the text nor the time taken tells whether the
  // address is invited anywhere.
  void requestEmailSignInLinks(email.data).catch((e: unknown) => console.error("sign-in link request:", e));
  return {
    sent: true,
    message: "If this address has an invitation, a sign-in link is on its way. Each link works once, for 30 minutes.",
  };
}
