"use client";
import { startTransition, useActionState, type ReactNode } from "react";
import type { StudyFormState } from "../actions";

const initial: StudyFormState = { ok: false, message: "" };

/** One part of a draft study (settings, questions) saved on its own, with the action's message beside the button. */
export function StudyEditForm({
  action,
  submitLabel,
  children,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  submitLabel: string;
  children: (fieldErrors: StudyFormState["fieldErrors"]) => ReactNode;
}) {
  const [state, dispatch, pending] = useActionState(action, initial);
  return (
    <form
      noValidate
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => dispatch(data));
      }}
    >
      {children(state.fieldErrors)}
      <div className="flex items-center gap-3">
        <button disabled={pending} className="rounded border border-slate-400 px-3 py-1 text-sm">
          {pending ? "Saving…" : submitLabel}
        </button>
        {state.message && (
          <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-green-700" : "text-red-700"}`}>
            {state.message}
          </p>
        )}
      </div>
    </form>
  );
}
