"use client";
// Reminder emails to readers who have not finished: a button now, and an optional schedule.
import { startTransition, useActionState } from "react";
import type { StudyFormState } from "../actions";
import { ActionButton } from "./action-button";

const initial: StudyFormState = { ok: false, message: "" };

export function RemindersPanel({
  remind,
  schedule,
  intervalDays,
  nextAt,
  unfinished,
  mailOn,
}: {
  remind: (prev: StudyFormState) => Promise<StudyFormState>;
  schedule: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  intervalDays: number | null;
  nextAt: string | null;
  unfinished: number;
  mailOn: boolean;
}) {
  const [state, dispatch, pending] = useActionState(schedule, initial);
  return (
    <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="reminders">
      <h3 className="font-medium">Reminders</h3>
      {!mailOn ? (
        <p className="text-sm text-slate-600">
          Mail is not configured (FOCUS_SMTP_URL is unset), so Focus sends no reminder: nothing is sent by the button or
          by a schedule. Remind readers yourself; the table above shows who has not finished.
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          {unfinished} reader{unfinished === 1 ? " has" : "s have"} not finished. A reminder names the study and the
          reader&apos;s progress, and says how to get back in; readers reminded in the last 12 hours are skipped.
        </p>
      )}
      <div className="flex flex-wrap items-start gap-4">
        {mailOn && unfinished > 0 && (
          <ActionButton action={remind} label="Remind unfinished readers" confirmText="Email a reminder now?" />
        )}
        <form
          className="flex flex-wrap items-end gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            startTransition(() => dispatch(data));
          }}
        >
          <label>
            Remind automatically every (days, empty = off)
            <input
              name="intervalDays"
              type="number"
              min={1}
              max={60}
              defaultValue={intervalDays ?? ""}
              className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <button disabled={pending} className="rounded border border-slate-400 px-3 py-1">
            Save schedule
          </button>
          {state.fieldErrors?.intervalDays && (
            <span className="text-xs text-red-700">{state.fieldErrors.intervalDays}</span>
          )}
        </form>
      </div>
      {nextAt && <p className="text-xs text-slate-600">Next scheduled reminder: {nextAt}</p>}
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-green-700" : "text-red-700"}`}>
          {state.message}
        </p>
      )}
    </section>
  );
}
