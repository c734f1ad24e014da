import { passwordResetFor } from "@/lib/auth/staff-accounts";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { ResetPasswordForm } from "./reset-password-form";

export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await passwordResetFor(token);
  return (
    <div className="mx-auto mt-10 max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Set a new password</h1>
      {reset ? (
        <>
          <p className="text-sm text-slate-600">
            For {reset.email}. At least {PASSWORD_MIN_LENGTH} characters and not easy to guess. This link works once.
          </p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <p role="alert" className="text-sm text-red-700">
          This reset link has expired or was already used. Ask an administrator for a new one.
        </p>
      )}
    </div>
  );
}
