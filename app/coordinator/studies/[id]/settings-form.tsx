"use client";
import { startTransition, useActionState } from "react";
import type { StudyFormState } from "../actions";
import { SettingsFields } from "../settings-fields";
import type { StudySettings } from "@/lib/studies/study-settings";

const initial: StudyFormState = { ok: false, message: "" };

export function SettingsForm({
  action,
  settings,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  settings: StudySettings;
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
      <SettingsFields settings={settings} errors={state.fieldErrors} />
      <div className="flex items-center gap-3">
        <button disabled={pending} className="rounded border border-slate-400 px-3 py-1 text-sm">
          {pending ? "Saving…" : "Save settings"}
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
