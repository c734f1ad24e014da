import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { HOME_BY_ROLE, ROLE_LABEL } from "@/lib/auth/roles";
import { SignOutButton } from "./sign-out-button";
import { mailEnabled } from "@/lib/studies/invitations-reentry";

const NAV: Record<string, { href: string; label: string }[]> = {
  ADMIN: [
    { href: "/admin/users", label: "Users" },
    { href: "/coordinator", label: "Studies" },
    { href: "/researcher", label: "Models" },
  ],
  COORDINATOR: [{ href: "/coordinator", label: "Studies" }],
  RESEARCHER: [{ href: "/researcher", label: "Datasets & jobs" }],
  SPECIALIST: [{ href: "/surveys", label: "My studies" }],
};

export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <Link href={user ? HOME_BY_ROLE[user.role] : "/"} className="text-lg font-semibold tracking-tight">
          Focus
        </Link>
        {user && (
          <nav aria-label="Main" className="flex gap-4 text-sm">
            {NAV[user.role].map((n) => (
              <Link key={n.href} href={n.href} className="text-slate-700 hover:text-slate-950">
                {n.label}
              </Link>
            ))}
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user ? (
            <>
              <span className="text-slate-600" data-testid="whoami">
                {user.name} · {ROLE_LABEL[user.role]}
              </span>
              {user.role !== "SPECIALIST" && (
                <Link href="/account/password" className="text-slate-700 hover:text-slate-950">
                  Change password
                </Link>
              )}
              <SignOutButton reader={user.role === "SPECIALIST" ? { mailEnabled: mailEnabled() } : undefined} />
            </>
          ) : (
            <Link href="/signin" className="text-slate-700">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
