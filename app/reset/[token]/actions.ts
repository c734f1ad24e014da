"use server";
import { redirect } from "next/navigation";
import { resetPassword, resetPasswordSchema } from "@/lib/auth/staff-accounts";
import { toFormState, type FormState } from "@/lib/http/form-state";

export async function resetPasswordAction(token: string, _prev: FormState, form: FormData): Promise<FormState> {
  try {
    await resetPassword(
      token,
      resetPasswordSchema.parse({ password: form.get("password"), confirm: form.get("confirm") }),
    );
  } catch (e) {
    return toFormState(e);
  }
  redirect("/signin?reset=1");
}
