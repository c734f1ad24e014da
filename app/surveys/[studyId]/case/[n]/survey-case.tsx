"use client";
// One case of a blinded survey. Everything here speaks of slots ("Model A"), never of models.
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { CaseView } from "@/lib/studies/reader-survey";
import { postJson, sendDraftBeacon } from "./survey-client";

type SaveState = "idle" | "saving" | "saved" | "error";

export function SurveyCase({ view }: { view: CaseView }) {
  const router = useRouter();
  const closed = view.status !== "OPEN";
  const base = `/api/surveys/${view.studyId}/cases/${view.caseNumber}`;
  const [slot, setSlot] = useState<string | null>(view.saved.slot);
  const [rationale, setRationale] = useState(view.saved.rationale);
  const [confidence, setConfidence] = useState<number | null>(view.saved.confidence);
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [enlarged, setEnlarged] = useState<number | null>(null);
  const started = useRef(performance.now());
  const dirty = useRef(false);
  const latest = useRef({ slot, rationale, confidence });
  latest.current = { slot, rationale, confidence };

  const { rationaleMin, rationaleMax, rationaleRequired, confidenceEnabled, allowRevisit } = view.settings;
  const trimmed = rationale.trim().length;
  const rationaleOk = trimmed <= rationaleMax && (!rationaleRequired || trimmed >= Math.max(1, rationaleMin));
  const canSubmit = !closed && !submitting && slot !== null && rationaleOk && (!view.saved.submitted || allowRevisit);

  const draftBody = () => ({
    slot: latest.current.slot,
    rationale: latest.current.rationale.slice(0, rationaleMax),
    ...(confidenceEnabled ? { confidence: latest.current.confidence } : {}),
  });

  // Debounced autosave of the draft while the reader works.
  useEffect(() => {
    if (closed || !dirty.current) return;
    const t = setTimeout(async () => {
      setSaveState("saving");
      const res = await postJson(`${base}/draft`, draftBody(), "PUT");
      setSaveState(res.ok ? "saved" : "error");
      if (res.ok) dirty.current = false;
    }, 700);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slot, rationale, confidence]);

  // Leaving the page (tab close, navigation, app switch) flushes an unsaved draft.
  useEffect(() => {
    if (closed) return;
    const flush = () => {
      if (dirty.current) sendDraftBeacon(`${base}/draft`, draftBody());
    };
    const onHide = () => document.visibilityState === "hidden" && flush();
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      flush();
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onHide);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, closed]);

  const change = <T,>(set: (v: T) => void) => (v: T) => {
    dirty.current = true;
    set(v);
  };
  const chooseSlot = change(setSlot);

  const submit = useCallback(async () => {
    if (!canSubmit) return;
    setSubmitting(true);
    setError(null);
    const res = await postJson(`${base}/answer`, {
      slot,
      rationale,
      ...(confidenceEnabled ? { confidence } : {}),
      clientTimeMs: Math.round(performance.now() - started.current),
    });
    if (!res.ok) {
      setSubmitting(false);
      setError(res.error);
      return;
    }
    dirty.current = false;
    const next = (res.body as { nextCase: number | null }).nextCase;
    const target = next !== null && next !== view.caseNumber ? `/surveys/${view.studyId}/case/${next}` : next === null ? `/surveys/${view.studyId}/done` : `/surveys/${view.studyId}/case/${Math.min(view.caseNumber + 1, view.total)}`;
    router.push(target);
  }, [canSubmit, base, slot, rationale, confidence, confidenceEnabled, router, view.caseNumber, view.studyId, view.total]);

  const go = useCallback(
    (delta: number) => {
      const n = view.caseNumber + delta;
      if (n >= 1 && n <= view.total) router.push(`/surveys/${view.studyId}/case/${n}`);
    },
    [router, view.caseNumber, view.studyId, view.total],
  );

  // Keyboard: 1–6 choose, Enter submits (Ctrl+Enter inside the rationale), arrows move between cases.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (enlarged !== null) {
        if (e.key === "Escape") setEnlarged(null);
        return;
      }
      const target = e.target as HTMLElement;
      const typing = target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && (target as HTMLInputElement).type === "text");
      if (typing) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void submit();
        }
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const digit = Number(e.key);
      if (Number.isInteger(digit) && digit >= 1 && digit <= view.slots.length && !closed) {
        e.preventDefault();
        chooseSlot(view.slots[digit - 1].letter);
      } else if (e.key === "Enter" && target.tagName !== "BUTTON" && target.tagName !== "A") {
        e.preventDefault();
        void submit();
      } else if (allowRevisit && e.key === "ArrowLeft" && target.getAttribute("type") !== "radio") {
        go(-1);
      } else if (allowRevisit && e.key === "ArrowRight" && target.getAttribute("type") !== "radio") {
        go(1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enlarged, submit, go, closed, allowRevisit, view.slots, chooseSlot]);

  const panel = enlarged === null ? null : view.slots[enlarged];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{view.studyTitle}</h1>
        <p className="text-sm text-slate-600" data-testid="case-progress">
          Case {view.caseNumber} of {view.total} · {view.answered} answered
        </p>
        {allowRevisit && (
          <nav aria-label="Cases" className="ml-auto flex gap-2 text-sm">
            <button type="button" onClick={() => go(-1)} disabled={view.caseNumber <= 1} className="rounded border px-2 py-1 disabled:opacity-40">← Previous</button>
            <button type="button" onClick={() => go(1)} disabled={view.caseNumber >= view.total} className="rounded border px-2 py-1 disabled:opacity-40">Next →</button>
          </nav>
        )}
      </div>
      {closed && <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3">This study is closed. Your answers are kept; they can no longer be changed.</p>}
      {view.instructions && <p className="text-sm text-slate-700">{view.instructions}</p>}

      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        className="space-y-4"
      >
        <fieldset disabled={closed} className="space-y-3">
          <legend className="text-lg font-medium">{view.question}</legend>
          <div className="grid grid-cols-3 gap-3">
            <figure className="self-start rounded-lg border border-slate-300 bg-white p-2 md:sticky md:top-2">
              <img src={view.imageUrl} alt={`Original image, case ${view.caseNumber}`} className="aspect-square w-full rounded object-contain [image-rendering:pixelated]" />
              <figcaption className="mt-1 text-center text-sm font-medium">Original</figcaption>
            </figure>
            <div className={`col-span-2 grid gap-3 ${view.slots.length > 4 ? "grid-cols-3" : "grid-cols-2"}`}>
            {view.slots.map((s, i) => {
              const checked = slot === s.letter;
              return (
                <div key={s.letter} className={`rounded-lg border-2 bg-white p-2 ${checked ? "border-blue-600 ring-2 ring-blue-200" : "border-slate-200"}`}>
                  <label className="block cursor-pointer">
                    <img src={s.url} alt={`Heat-map of Model ${s.letter}`} className="mx-auto aspect-square max-h-[34vh] w-full rounded object-contain [image-rendering:pixelated]" />
                    <span className="mt-1 flex items-center justify-center gap-2 text-sm font-medium">
                      <input type="radio" name="slot" value={s.letter} checked={checked} onChange={() => chooseSlot(s.letter)} aria-keyshortcuts={String(i + 1)} />
                      Model {s.letter}
                      <kbd className="rounded border px-1 text-xs text-slate-500" aria-hidden>{i + 1}</kbd>
                    </span>
                  </label>
                  {s.probabilityPercent !== null && view.probabilityClass !== null && (
                    <ProbabilityLabel letter={s.letter} percent={s.probabilityPercent} trueClass={view.probabilityClass} />
                  )}
                  <button type="button" onClick={() => setEnlarged(i)} className="mt-1 w-full rounded text-xs text-blue-700 underline">
                    Enlarge Model {s.letter}
                  </button>
                </div>
              );
            })}
            </div>
          </div>

          <label className="block">
            <span className="font-medium">Rationale{rationaleRequired ? "" : " (optional)"}</span>
            <textarea
              name="rationale"
              value={rationale}
              onChange={(e) => change(setRationale)(e.target.value)}
              maxLength={rationaleMax}
              rows={3}
              aria-describedby="rationale-help"
              className="mt-1 block w-full rounded border border-slate-300 p-2"
            />
            <span id="rationale-help" className="text-xs text-slate-600">
              {trimmed} / {rationaleMax} characters{rationaleRequired && rationaleMin > 0 ? ` · at least ${rationaleMin}` : ""} · Ctrl+Enter submits
            </span>
          </label>

          {confidenceEnabled && (
            <div role="radiogroup" aria-label="Confidence (optional), 1 low to 5 high" className="flex items-center gap-3 text-sm">
              <span className="font-medium">Confidence (optional)</span>
              {[1, 2, 3, 4, 5].map((c) => (
                <label key={c} className="flex items-center gap-1">
                  <input type="radio" name="confidence" value={c} checked={confidence === c} onChange={() => change(setConfidence)(c)} />
                  {c}
                </label>
              ))}
            </div>
          )}
        </fieldset>

        <div className="flex items-center gap-4">
          <button type="submit" disabled={!canSubmit} className="rounded bg-slate-900 px-5 py-2 font-medium text-white disabled:opacity-50">
            {submitting ? "Saving…" : view.saved.submitted ? "Update answer" : "Submit answer"}
          </button>
          <span aria-live="polite" className="text-sm text-slate-600" data-testid="save-state">
            {saveState === "saving" ? "Saving draft…" : saveState === "saved" ? "Draft saved" : saveState === "error" ? "Draft not saved; retrying on next change" : view.saved.submitted ? "Answer saved" : ""}
          </span>
        </div>
        {error && <p role="alert" className="text-red-700">{error}</p>}
        <p className="text-xs text-slate-500">Keys: 1–{view.slots.length} choose a model · Enter submits{allowRevisit ? " · ← → move between cases" : ""}.</p>
      </form>

      {panel && (
        <div role="dialog" aria-modal="true" aria-label={`Model ${panel.letter} enlarged beside the original`} className="fixed inset-0 z-50 flex items-center justify-center bg-black/70 p-4" onClick={() => setEnlarged(null)}>
          <div className="flex max-h-full max-w-5xl gap-4 rounded-lg bg-white p-4" onClick={(e) => e.stopPropagation()}>
            <figure className="flex-1">
              <img src={view.imageUrl} alt={`Original image, case ${view.caseNumber}`} className="max-h-[80vh] w-full object-contain [image-rendering:pixelated]" />
              <figcaption className="text-center text-sm">Original</figcaption>
            </figure>
            <figure className="flex-1">
              <img src={panel.url} alt={`Heat-map of Model ${panel.letter}`} className="max-h-[80vh] w-full object-contain [image-rendering:pixelated]" />
              <figcaption className="text-center text-sm">Model {panel.letter}</figcaption>
            </figure>
            <button type="button" autoFocus onClick={() => setEnlarged(null)} className="self-start rounded border px-2 py-1">Close</button>
          </div>
        </div>
      )}
    </div>
  );
}

/** P with its meaning spelled out on hover and on keyboard focus (the tooltip is also the accessible description). */
function ProbabilityLabel({ letter, percent, trueClass }: { letter: string; percent: number; trueClass: string }) {
  const helpId = `p-help-${letter}`;
  return (
    <p className="group relative text-center text-xs text-slate-600">
      <span tabIndex={0} aria-describedby={helpId} className="cursor-help underline decoration-dotted">
        P({trueClass}) = {percent} %
      </span>
      <span
        role="tooltip"
        id={helpId}
        className={[
          "pointer-events-none absolute bottom-full left-1/2 z-10 mb-1 hidden w-56 -translate-x-1/2 rounded",
          "bg-slate-800 px-2 py-1 text-left text-white group-focus-within:block group-hover:block",
        ].join(" ")}
      >
        Model {letter}&apos;s probability that this image is {trueClass}, the image&apos;s true class. It says how sure
        the model is, not where it looked.
      </span>
    </p>
  );
}
