"use client";
// A one-button form for a bound server action, with its message, any one-time link and missing heat-maps.
import { useActionState, useState } from "react";
import type { StudyFormState } from "../actions";
import { MissingHeatmapTable } from "../settings-fields";

const initial: StudyFormState = { ok: false, message: "" };

export function OneTimeLink({
  link,
  label = "Invitation link",
  testId,
}: {
  link: string;
  label?: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-2 flex items-center gap-2">
      <input
        readOnly
        value={link}
        aria-label={label}
        data-testid={testId ?? (label === "Invitation link" ? "invitation-link" : "reentry-link")}
        onFocus={(e) => e.currentTarget.select()}
        className="w-full max-w-xl rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
      />
      <button
        type="button"
        onClick={() =>
          void (async () => {
            await navigator.clipboard?.writeText(link).catch(() => undefined);
            setCopied(true);
          })()
        }
        className="rounded border border-slate-400 px-2 py-1 text-sm"
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

export function ActionButton({
  action,
  label,
  pendingLabel,
  confirmText,
  tone = "plain",
  linkLabel,
}: {
  action: (prev: StudyFormState) => Promise<StudyFormState>;
  label: string;
  linkLabel?: string;
  pendingLabel?: string;
  confirmText?: string;
  tone?: "primary" | "plain" | "danger";
}) {
  const [state, dispatch, pending] = useActionState(action, initial);
  const style =
    tone === "primary"
      ? "bg-slate-900 text-white"
      : tone === "danger"
        ? "border border-red-400 text-red-700"
        : "border border-slate-400";
  return (
    <div>
      <form
        action={dispatch}
        onSubmit={(e) => {
          if (confirmText && !window.confirm(confirmText)) e.preventDefault();
        }}
      >
        <button disabled={pending} className={`rounded px-3 py-1 text-sm disabled:opacity-60 ${style}`}>
          {pending ? (pendingLabel ?? `${label}…`) : label}
        </button>
      </form>
      {state.message && (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-1 text-sm ${state.ok ? "text-green-700" : "text-red-700"}`}
        >
          {state.message}
        </p>
      )}
      {state.link && <OneTimeLink link={state.link} label={linkLabel} />}
      <MissingHeatmapTable missing={state.missing} />
    </div>
  );
}
