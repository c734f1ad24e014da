"use client";
// Cancel / retry / ready-for-study buttons of one run, each a server action with its message.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { cancelRunAction, retryRunAction, setReadyAction, type FormState } from "../actions";

type RunActionState = FormState<{ warning: string }>;

function useRunAction(after?: () => void) {
  const [state, setState] = useState<RunActionState | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<RunActionState>) =>
    start(async () => {
      const s = await fn();
      setState(s);
      after?.();
    });
  return { state, pending, run };
}

function Message({ state }: { state: RunActionState | null }) {
  if (!state?.message) return null;
  return (
    <>
      <span
        role={state.ok ? "status" : "alert"}
        className={`ml-2 text-xs ${state.ok ? "text-green-700" : "text-red-700"}`}
      >
        {state.message}
      </span>
      {state.warning && (
        <span role="alert" data-testid="action-warning" className="ml-2 whitespace-normal text-xs text-amber-800">
          {state.warning}
        </span>
      )}
    </>
  );
}

export function CancelRetryButtons({
  runId,
  status,
  cancelRequested,
  onDone,
}: {
  runId: string;
  status: string;
  cancelRequested: boolean;
  onDone?: () => void;
}) {
  const router = useRouter();
  const { state, pending, run } = useRunAction(onDone ?? (() => router.refresh()));
  const active = status === "QUEUED" || status === "RUNNING";
  return (
    <span className="whitespace-nowrap">
      {active &&
        (cancelRequested ? (
          <span className="text-xs text-amber-700">cancelling…</span>
        ) : (
          <button
            type="button"
            disabled={pending}
            onClick={() => run(() => cancelRunAction(runId))}
            className="rounded border border-red-400 px-2 py-0.5 text-xs text-red-700 disabled:opacity-60"
          >
            Cancel
          </button>
        ))}
      {(status === "FAILED" || status === "CANCELLED") && (
        <button
          type="button"
          disabled={pending}
          onClick={() => run(() => retryRunAction(runId))}
          className="rounded border border-slate-400 px-2 py-0.5 text-xs disabled:opacity-60"
        >
          Retry
        </button>
      )}
      <Message state={state} />
    </span>
  );
}

export function ReadyToggle({ runId, ready, enabled }: { runId: string; ready: boolean; enabled: boolean }) {
  const router = useRouter();
  const [value, setValue] = useState(ready);
  const { state, pending, run } = useRunAction(() => router.refresh());
  return (
    <label className="flex items-center gap-1 whitespace-nowrap text-xs">
      <input
        type="checkbox"
        checked={value}
        disabled={!enabled || pending}
        data-testid={`ready-${runId}`}
        onChange={(e) => {
          const next = e.target.checked;
          setValue(next);
          run(async () => {
            const s = await setReadyAction(runId, next);
            if (!s.ok) setValue(!next);
            return s;
          });
        }}
      />
      ready for study
      <Message state={state} />
    </label>
  );
}
