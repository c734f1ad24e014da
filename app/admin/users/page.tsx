import { requireRole } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/users";
import { ROLE_LABEL } from "@/lib/auth/roles";
import { CreateUserForm } from "./create-user-form";
import { setActiveAction, unlockSignInAction } from "./actions";
import { ResetLinkButton } from "./reset-link-button";
import { delayedEmails } from "@/lib/auth/rate-limit";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const me = await requireRole("ADMIN");
  const users = await listUsers();
  const delayed = await delayedEmails();
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <CreateUserForm />
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Email</th>
            <th className="p-2">Name</th>
            <th className="p-2">Role</th>
            <th className="p-2">Pseudonym</th>
            <th className="p-2">Status</th>
            <th className="p-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b" data-testid={`user-row-${u.email}`}>
              <td className="p-2">{u.email}</td>
              <td className="p-2">{u.name}</td>
              <td className="p-2">
                {ROLE_LABEL[u.role]}
                {u.specialty ? ` (${u.specialty.toLowerCase()})` : ""}
              </td>
              <td className="p-2 font-mono">{u.pseudonym}</td>
              <td className="p-2">
                {u.active ? "active" : "deactivated"}
                {delayed.has(u.email) && (
                  <span className="block text-xs text-amber-800">
                    sign-in waiting until {delayed.get(u.email)!.toISOString().slice(11, 19)} UTC (failed attempts)
                  </span>
                )}
              </td>
              <td className="space-y-1 p-2 text-right">
                {delayed.has(u.email) && (
                  <form action={unlockSignInAction}>
                    <input type="hidden" name="userId" value={u.id} />
                    <button className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100">
                      Unlock sign-in
                    </button>
                  </form>
                )}
                {u.active && u.role !== "SPECIALIST" && <ResetLinkButton userId={u.id} />}
                {u.id !== me.id && (
                  <form action={setActiveAction}>
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="active" value={String(!u.active)} />
                    <button className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100">
                      {u.active ? "Deactivate" : "Reactivate"}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
