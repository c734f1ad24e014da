"use server";
import { revalidatePath } from "next/cache";
import { ZodError } from "zod";
import { requireRole, HttpError } from "@/lib/auth/session";
import { createStaffUser, setUserActive } from "@/lib/users/users";

export interface CreateUserState {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
}

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
    if (e instanceof ZodError) {
      const fieldErrors = Object.fromEntries(e.issues.map((i) => [String(i.path[0]), i.message]));
      return { ok: false, message: "Fix the highlighted fields; nothing was saved.", fieldErrors };
    }
    if (e instanceof HttpError) return { ok: false, message: e.message };
    throw e;
  }
}

export async function setActiveAction(form: FormData): Promise<void> {
  const admin = await requireRole("ADMIN");
  await setUserActive(String(form.get("userId")), form.get("active") === "true", admin.id);
  revalidatePath("/admin/users");
}
