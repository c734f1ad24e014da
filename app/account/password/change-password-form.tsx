"use client";
import { useActionState } from "react";
import { INITIAL_FORM_STATE } from "@/lib/http/form-state";
import { changePasswordAction } from "./actions";

const FIELDS = [
  { name: "current", label: "Current password", autoComplete: "current-password" },
  { name: "password", label: "New password", autoComplete: "new-password" },
  { name: "confirm", label: "New password again", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, INITIAL_FORM_STATE);
  return (
    <form action={action} className="space-y-3" noValidate>
      {FIELDS.map((f) => (
        <div key={f.name}>
          <label className="block text-sm font-medium">
            {f.label}
            <input
              name={f.name}
              type="password"
              autoComplete={f.autoComplete}
              aria-invalid={!!state.fieldErrors?.[f.name]}
              className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5"
            />
          </label>
          {state.fieldErrors?.[f.name] && <span className="text-xs text-red-700">{state.fieldErrors[f.name]}</span>}
        </div>
      ))}
      {state.message && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
      <button disabled={pending} className="rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-60">
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
