"use client";
import { startTransition, useActionState } from "react";
import type { StudyFormState } from "../actions";
import { QuestionsEditor } from "../questions-editor";
import type { StudyQuestion } from "@/lib/studies/study-questions";

const initial: StudyFormState = { ok: false, message: "" };

export function QuestionsForm({
  action,
  questions,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  questions: StudyQuestion[];
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
      <QuestionsEditor initial={questions} errors={state.fieldErrors} />
      <div className="flex items-center gap-3">
        <button disabled={pending} className="rounded border border-slate-400 px-3 py-1 text-sm">
          {pending ? "Saving…" : "Save questions"}
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
