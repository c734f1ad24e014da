import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { HOME_BY_ROLE } from "@/lib/auth/roles";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  changed: "Your password was changed and every session ended. Sign in with the new password.",
  reset: "Your new password is set. Sign in with it.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const user = await currentUser();
  if (user) redirect(HOME_BY_ROLE[user.role]);
  const params = await searchParams;
  const notice = Object.keys(NOTICES).find((k) => params[k] === "1");
  return (
    <div className="mx-auto mt-10 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Sign in to Focus</h1>
      <p className="mt-1 text-sm text-slate-600">
        Staff accounts. Specialists use the invitation link they received;{" "}
        <Link href="/signin/reader" className="text-blue-700 underline">
          signed out or on another device?
        </Link>
      </p>
      {notice && (
        <p role="status" className="mt-3 text-sm text-green-700">
          {NOTICES[notice]}
        </p>
      )}
      <SignInForm />
    </div>
  );
}
