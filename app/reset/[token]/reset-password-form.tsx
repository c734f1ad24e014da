"use client";
import { useActionState } from "react";
import { INITIAL_FORM_STATE } from "@/lib/http/form-state";
import { resetPasswordAction } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction.bind(null, token), INITIAL_FORM_STATE);
  return (
    <form action={action} className="space-y-3" noValidate>
      {(["password", "confirm"] as const).map((name) => (
        <div key={name}>
          <label className="block text-sm font-medium">
            {name === "password" ? "New password" : "New password again"}
            <input
              name={name}
              type="password"
              autoComplete="new-password"
              aria-invalid={!!state.fieldErrors?.[name]}
              className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5"
            />
          </label>
          {state.fieldErrors?.[name] && <span className="text-xs text-red-700">{state.fieldErrors[name]}</span>}
        </div>
      ))}
      {state.message && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
      <button
        disabled={pending}
        className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-60"
      >
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
