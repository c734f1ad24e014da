"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { clientKeyFromHeaders } from "@/lib/auth/client-key";
import { changeOwnPassword, changePasswordSchema } from "@/lib/auth/staff-accounts";
import { toFormState, type FormState } from "@/lib/http/form-state";

export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const me = await requireRole("ADMIN", "COORDINATOR", "RESEARCHER");
  try {
    const input = changePasswordSchema.parse({
      current: form.get("current"),
      password: form.get("password"),
      confirm: form.get("confirm"),
    });
    await changeOwnPassword(me.id, input, clientKeyFromHeaders(await headers()));
  } catch (e) {
    return toFormState(e);
  }
  // Every session ended with the change, this one too.
  redirect("/signin?changed=1");
}
