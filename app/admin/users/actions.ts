"use server";
import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/session";
import { toFormState, type FormState } from "@/lib/http/form-state";
import { createStaffUser, setUserActive } from "@/lib/users/users";

export type CreateUserState = FormState;

export async function createUserAction(_prev: CreateUserState, form: FormData): Promise<CreateUserState> {
  const admin = await requireRole("ADMIN");
  try {
    const user = await createStaffUser(
      { email: form.get("email"), name: form.get("name"), role: form.get("role"), password: form.get("password") },
      admin.id,
    );
    revalidatePath("/admin/users");
    return { ok: true, message: `Created ${user.email} (${user.role.toLowerCase()}).` };
  } catch (e) {
    return toFormState(e);
  }
}

export async function setActiveAction(form: FormData): Promise<void> {
  const admin = await requireRole("ADMIN");
  await setUserActive(String(form.get("userId")), form.get("active") === "true", admin.id);
  revalidatePath("/admin/users");
}
