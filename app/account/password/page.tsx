import { requireRole } from "@/lib/auth/session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  await requireRole("ADMIN", "COORDINATOR", "RESEARCHER");
  return (
    <section className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-semibold">Change password</h1>
      <p className="text-sm text-slate-600">
        At least {PASSWORD_MIN_LENGTH} characters and not easy to guess: a phrase of unrelated words works well. Every
        session of your account ends, this one too; you sign in again with the new password.
      </p>
      <ChangePasswordForm />
    </section>
  );
}
