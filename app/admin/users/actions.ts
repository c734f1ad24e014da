"use server";
import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/session";
import { toFormState, type FormState } from "@/lib/http/form-state";
import { createStaffUser, setUserActive } from "@/lib/users/users";
import { issuePasswordReset, passwordResetLink, unlockSignIn } from "@/lib/auth/staff-accounts";

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

/** The hidden userId field; a missing one finds no user, like any unknown id. */
function userIdOf(form: FormData): string {
  const v = form.get("userId");
  return typeof v === "string" ? v : "";
}

export async function setActiveAction(form: FormData): Promise<void> {
  const admin = await requireRole("ADMIN");
  await setUserActive(userIdOf(form), form.get("active") === "true", admin.id);
  revalidatePath("/admin/users");
}

export type ResetLinkState = FormState<{ link: string }>;

/** The link is shown once, here; only its hash is stored. */
export async function issueResetLinkAction(userId: string, _prev: ResetLinkState): Promise<ResetLinkState> {
  const admin = await requireRole("ADMIN");
  try {
    const { token, expiresAt, email } = await issuePasswordReset(userId, admin.id);
    const until = expiresAt.toISOString().slice(0, 16).replace("T", " ");
    return {
      ok: true,
      message: `One-time link for ${email}, valid until ${until} UTC:`,
      link: passwordResetLink(token),
    };
  } catch (e) {
    return toFormState(e);
  }
}

export async function unlockSignInAction(form: FormData): Promise<void> {
  const admin = await requireRole("ADMIN");
  await unlockSignIn(userIdOf(form), admin.id);
  revalidatePath("/admin/users");
}
