"use client";
import { useActionState } from "react";
import { createUserAction, type CreateUserState } from "./actions";

const initial: CreateUserState = { ok: false, message: "" };

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, initial);
  const err = (f: string) => state.fieldErrors?.[f];
  return (
    <form
      action={action}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5"
      noValidate
    >
      <h2 className="font-medium sm:col-span-5">Create a staff account</h2>
      {(["email", "name", "password"] as const).map((f) => (
        <label key={f} className="text-sm font-medium capitalize">
          {f}
          <input
            name={f}
            type={f === "password" ? "password" : f === "email" ? "email" : "text"}
            aria-invalid={!!err(f)}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          />
          {err(f) && <span className="text-xs text-red-700">{err(f)}</span>}
        </label>
      ))}
      <label className="text-sm font-medium">
        Role
        <select
          name="role"
          defaultValue="COORDINATOR"
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
        >
          <option value="COORDINATOR">Study coordinator</option>
          <option value="RESEARCHER">Researcher</option>
          <option value="ADMIN">Administrator</option>
        </select>
        {err("role") && <span className="text-xs text-red-700">{err("role")}</span>}
      </label>
      <div className="flex items-end">
        <button disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 text-white disabled:opacity-60">
          {pending ? "Creating…" : "Create"}
        </button>
      </div>
      {state.message && (
        <p role="status" className={`text-sm sm:col-span-5 ${state.ok ? "text-green-700" : "text-red-700"}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
