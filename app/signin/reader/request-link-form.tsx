"use client";
import { useActionState } from "react";
import { requestSignInLinkAction } from "./actions";
import type { FormState } from "@/lib/http/form-state";

const initial: FormState = { ok: false, message: "" };

export function RequestLinkForm() {
  const [state, dispatch, pending] = useActionState(requestSignInLinkAction, initial);
  return (
    <form action={dispatch} className="mt-3 space-y-3" noValidate>
      <label className="block text-sm font-medium">
        Email address you were invited with
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5"
        />
      </label>
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-green-700" : "text-red-700"}`}>
          {state.message}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-60"
      >
        {pending ? "Sending…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
