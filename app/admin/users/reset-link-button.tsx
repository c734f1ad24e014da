"use client";
import { useActionState } from "react";
import { INITIAL_FORM_STATE } from "@/lib/http/form-state";
import { issueResetLinkAction, type ResetLinkState } from "./actions";

export function ResetLinkButton({ userId }: { userId: string }) {
  const [state, action, pending] = useActionState(
    issueResetLinkAction.bind(null, userId),
    INITIAL_FORM_STATE as ResetLinkState,
  );
  return (
    <form action={action}>
      <button
        disabled={pending}
        className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 disabled:opacity-60"
      >
        Issue reset link
      </button>
      {state.message && (
        <p role="status" className={`mt-1 text-left text-xs ${state.ok ? "text-slate-700" : "text-red-700"}`}>
          {state.message}
          {state.link && (
            <input
              readOnly
              value={state.link}
              aria-label="Reset link"
              className="mt-1 block w-full rounded border border-slate-300 px-1 font-mono"
            />
          )}
        </p>
      )}
    </form>
  );
}
