"use client";
// One case of a blinded survey. Everything here speaks of slots ("Model A"), never of models.
import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import { useRouter } from "next/navigation";
import type { BestMapOptionInput, CaseView } from "@/lib/studies/reader-survey";
import { RankingQuestion, RatingQuestion } from "./question-fields";
import { postJson, sendDraftBeacon } from "./survey-client";
import { CompareDialog } from "./compare-dialog";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { usePanZoom, PanZoomImage } from "./pan-zoom";
import { useMapLayers } from "./map-layers";
import { useLeaveWarning } from "./leave-warning";

type SaveState = "idle" | "saving" | "saved" | "error";

/** Keys a focused control uses itself: a digit or Enter there belongs to that control, not to the page. */
function keyTarget(target: EventTarget | null) {
  const el = target instanceof HTMLElement ? target : null;
  const input = el instanceof HTMLInputElement ? el : null;
  const inChoice = input?.type === "radio" && input.name === "slot";
  const textual =
    !!el &&
    (el.tagName === "TEXTAREA" ||
      el.isContentEditable ||
      (!!input && !["radio", "checkbox", "button", "submit", "range"].includes(input.type)));
  // A rating or ranking question owns its keys too (its radios, its move buttons).
  const control = !inChoice && !!el?.closest("input, textarea, select, [contenteditable='true'], [data-keys-own]");
  return { inChoice, textual, control, submitButton: el instanceof HTMLButtonElement && el.type === "submit" };
}

/** Ratings without empty questions and with letters in order, so that equal answers compare equal. */
function sortedRatings(r: Record<string, Record<string, number>>) {
  return Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => Object.keys(v).length > 0)
      .map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort())]),
  );
}

/** The rating and ranking part of a request body; absent for a study that asks neither. */
function otherAnswers(
  questions: CaseView["questions"],
  v: Pick<CaseView["saved"], "ratings" | "rankings">,
): { ratings?: Record<string, Record<string, number>>; rankings?: Record<string, string[][]> } {
  return {
    ...(questions.some((q) => q.type === "rating") ? { ratings: sortedRatings(v.ratings) } : {}),
    ...(questions.some((q) => q.type === "ranking") ? { rankings: v.rankings } : {}),
  };
}

/** A coordinator's walk through the reader view: nothing is sent, answers only move on to the next case. */
export interface PreviewMode {
  /** Case n of the preview is at `${caseBase}/${n}`. */
  caseBase: string;
  /** Where the walk ends after the last case. */
  exitPath: string;
}

export function SurveyCase({ view, preview }: { view: CaseView; preview?: PreviewMode }) {
  const router = useRouter();
  const closed = view.status !== "OPEN";
  // Nothing leaves the page in a preview: no draft, no beacon, no answer.
  const offline = closed || !!preview;
  const base = `/api/surveys/${view.studyId}/cases/${view.caseNumber}`;
  const caseBase = preview?.caseBase ?? `/surveys/${view.studyId}/case`;
  const donePath = preview?.exitPath ?? `/surveys/${view.studyId}/done`;
  const [slot, setSlot] = useState<string | null>(view.saved.slot);
  const [option, setOption] = useState<BestMapOptionInput | null>(view.saved.option);
  const [ratings, setRatings] = useState(view.saved.ratings);
  const [rankings, setRankings] = useState(view.saved.rankings);
  const [rationale, setRationale] = useState(view.saved.rationale);
  const [confidence, setConfidence] = useState<number | null>(view.saved.confidence);
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [compare, setCompare] = useState<number | null>(null);
  const [shortcuts, setShortcuts] = useState(false);
  const panZoom = usePanZoom();
  const layers = useMapLayers(view);
  // The overlay's real alpha, shared by the grid and the comparison view. Half, as the paper's figures blend;
  // older cases' overlays are already blended, so they show at full strength.
  const [opacity, setOpacity] = useState(view.mapFormat === "cam" ? 50 : 100);
  const [started] = useState(() => performance.now());
  const dirty = useRef(false);
  // While the answer is on its way, no draft may follow it: a draft stored after the answer would mark the case
  // "Changed, not submitted" (a slow server under a burst of readers made the autosave timer fire meanwhile).
  const submittingNow = useRef(false);
  const latest = useRef({ slot, option, rationale, confidence, ratings, rankings });
  // Updated before any handler or effect of this render can read it.
  useLayoutEffect(() => {
    latest.current = { slot, option, rationale, confidence, ratings, rankings };
  });

  const { rationaleMin, rationaleMax, rationaleRequired, rationaleEnabled, confidenceEnabled, allowRevisit } =
    view.settings;
  const bestMap = view.questions.find((q) => q.type === "best_map") ?? null;
  const letters = view.slots.map((s) => s.letter);
  const trimmed = rationale.trim().length;
  const rationaleOk = trimmed <= rationaleMax && (!rationaleRequired || trimmed >= Math.max(1, rationaleMin));
  const confidenceRequired = view.questions.some((q) => q.type === "confidence" && q.required);
  // Each rating and ranking is whole or absent; a required one must be given.
  const othersOk = view.questions.every((q) => {
    if (q.type === "rating") {
      const n = Object.keys(ratings[q.id] ?? {}).length;
      return n === letters.length || (n === 0 && !q.required);
    }
    if (q.type === "ranking") return rankings[q.id] !== undefined || !q.required;
    return true;
  });
  const answer = view.answer;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
  // What is stored is what counts: an answered case whose fields differ from the stored answer is a change not yet made.
  const changed =
    answer !== null &&
    (slot !== answer.slot ||
      option !== answer.option ||
      rationale.trim() !== answer.rationale ||
      (confidenceEnabled && confidence !== answer.confidence) ||
      !same(sortedRatings(ratings), sortedRatings(answer.ratings)) ||
      !same(rankings, answer.rankings));
  const canSubmit =
    !closed &&
    !submitting &&
    (!bestMap?.required || slot !== null || option !== null) &&
    rationaleOk &&
    (!confidenceRequired || confidence !== null) &&
    othersOk &&
    (answer === null || allowRevisit);
  const withOthers = (v: Pick<CaseView["saved"], "ratings" | "rankings">) => otherAnswers(view.questions, v);
  const confirmLeave = useLeaveWarning(changed && !submitting);

  const draftBody = () => ({
    ...(bestMap ? { slot: latest.current.slot, option: latest.current.option } : {}),
    ...(rationaleEnabled ? { rationale: latest.current.rationale.slice(0, rationaleMax) } : {}),
    ...(confidenceEnabled ? { confidence: latest.current.confidence } : {}),
    ...withOthers(latest.current),
  });

  // Debounced autosave of the draft while the reader works.
  useEffect(() => {
    if (offline || !dirty.current) return;
    const t = setTimeout(
      () =>
        void (async () => {
          if (submittingNow.current) return;
          setSaveState("saving");
          const res = await postJson(`${base}/draft`, draftBody(), "PUT");
          setSaveState(res.ok ? "saved" : "error");
          if (res.ok) dirty.current = false;
        })(),
      700,
    );
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slot, option, rationale, confidence, ratings, rankings]);

  // Leaving the page (tab close, navigation, app switch) flushes an unsaved draft.
  useEffect(() => {
    if (offline) return;
    const flush = () => {
      if (dirty.current && !submittingNow.current) sendDraftBeacon(`${base}/draft`, draftBody());
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
  }, [base, offline]);

  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      dirty.current = true;
      set(v);
    };
  // A map and an option exclude each other.
  const chooseSlot = change((letter: string) => {
    setSlot(letter);
    setOption(null);
  });
  const chooseOption = change((o: BestMapOptionInput) => {
    setOption(o);
    setSlot(null);
  });

  const submit = useCallback(async () => {
    if (!canSubmit) return;
    if (preview) {
      router.push(view.caseNumber < view.total ? `${caseBase}/${view.caseNumber + 1}` : donePath);
      return;
    }
    setSubmitting(true);
    submittingNow.current = true;
    setError(null);
    const res = await postJson(`${base}/answer`, {
      ...(slot !== null ? { slot } : {}),
      ...(option !== null ? { option } : {}),
      ...(rationaleEnabled ? { rationale } : {}),
      ...(confidenceEnabled ? { confidence } : {}),
      ...otherAnswers(view.questions, { ratings, rankings }),
      clientTimeMs: Math.round(performance.now() - started),
    });
    if (!res.ok) {
      setSubmitting(false);
      submittingNow.current = false;
      setError(res.error);
      return;
    }
    dirty.current = false;
    submittingNow.current = false;
    const next = (res.body as { nextCase: number | null }).nextCase;
    const target =
      next !== null && next !== view.caseNumber
        ? `${caseBase}/${next}`
        : next === null
          ? donePath
          : `${caseBase}/${Math.min(view.caseNumber + 1, view.total)}`;
    router.push(target);
  }, [
    preview,
    caseBase,
    donePath,
    canSubmit,
    base,
    slot,
    option,
    ratings,
    rankings,
    view.questions,
    rationaleEnabled,
    rationale,
    confidence,
    confidenceEnabled,
    started,
    router,
    view.caseNumber,
    view.total,
  ]);

  const go = useCallback(
    (delta: number) => {
      const n = view.caseNumber + delta;
      if (n >= 1 && n <= view.total && confirmLeave()) router.push(`${caseBase}/${n}`);
    },
    [router, view.caseNumber, view.total, confirmLeave, caseBase],
  );

  // Keyboard: digits choose, Enter submits from the choice or the Submit button, Ctrl+Enter from the rationale,
  // arrows move between cases, ? lists the keys. A key pressed in another control is that control's.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (compare !== null || shortcuts || e.defaultPrevented) return;
      const t = keyTarget(e.target);
      if (e.key === "Enter") {
        if (t.textual) {
          if (e.ctrlKey || e.metaKey) {
            e.preventDefault();
            void submit();
          } else if (e.target instanceof HTMLInputElement) e.preventDefault();
        } else if (t.inChoice) {
          e.preventDefault();
          void submit();
        } else if (t.control && !(e.target instanceof HTMLButtonElement)) {
          // No implicit form submission from the confidence or rating radios; a button still does its own job.
          e.preventDefault();
        }
        return;
      }
      if (t.control || t.textual || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "?") {
        e.preventDefault();
        setShortcuts(true);
        return;
      }
      if (e.key === "+" || e.key === "=") return panZoom.zoomAt(1.25);
      if (e.key === "-") return panZoom.zoomAt(0.8);
      if (e.key === "0") return panZoom.reset();
      const digit = /^[1-9]$/.test(e.key) ? Number(e.key) : 0;
      if (digit >= 1 && digit <= view.slots.length && !closed && bestMap) {
        e.preventDefault();
        chooseSlot(view.slots[digit - 1].letter);
      } else if (allowRevisit && !t.inChoice && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
        go(e.key === "ArrowLeft" ? -1 : 1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [compare, shortcuts, submit, go, closed, allowRevisit, view.slots, chooseSlot, panZoom, bestMap]);

  const rows = view.slots.length > 4 ? 2 : Math.ceil(view.slots.length / 2);
  const cols = Math.ceil(view.slots.length / rows);
  // Five or six maps (three a row) take the screen's whole width rather than the page column's.
  const wide = cols > 2;
  // Every map as large as both the screen's height and width allow (chrome: header, paddings, captions).
  const layout = {
    "--cell": [
      "max(160px, min(480px",
      `calc((100dvh - 85px - ${rows * 52}px - ${(rows - 1) * 12}px) / ${rows})`,
      `calc((${wide ? "100vw - 32px" : "min(100vw - 16px, 72rem) - 32px"} - var(--side) - ${cols * 24}px - ${(cols - 1) * 12}px) / ${cols})))`,
    ].join(", "),
  } as CSSProperties;
  const status = changed
    ? "Changed, not submitted"
    : saveState === "saving"
      ? "Saving draft…"
      : saveState === "saved"
        ? "Draft saved"
        : saveState === "error"
          ? "Draft not saved; retrying on next change"
          : answer
            ? "Answer submitted"
            : "";

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      style={layout}
      className={`grid gap-x-4 gap-y-2 [--side:0px] lg:grid-rows-[auto_1fr] lg:grid-cols-[var(--side)_1fr] lg:[--side:300px] ${wide ? "ml-[calc(50%-50vw+16px)] w-[calc(100vw-32px)]" : ""}`}
    >
      <fieldset disabled={closed} className="contents">
        <div className="space-y-2 lg:col-start-1 lg:row-start-1">
          <div className="flex flex-wrap items-center gap-x-3">
            <h1 className="text-lg font-semibold">{view.studyTitle}</h1>
            <p className="text-sm text-slate-600" data-testid="case-progress">
              Case {view.caseNumber} of {view.total} · {view.answered} answered
            </p>
          </div>
          <nav aria-label="Cases" className="flex flex-wrap gap-2 text-sm">
            {allowRevisit && (
              <>
                <button
                  type="button"
                  onClick={() => go(-1)}
                  disabled={view.caseNumber <= 1}
                  className="rounded border px-2 py-0.5 disabled:opacity-40"
                >
                  ← Previous
                </button>
                <button
                  type="button"
                  onClick={() => go(1)}
                  disabled={view.caseNumber >= view.total}
                  className="rounded border px-2 py-0.5 disabled:opacity-40"
                >
                  Next →
                </button>
              </>
            )}
            {!preview && (
              <a href={`/surveys/${view.studyId}/answers`} className="px-1 py-0.5 text-blue-700 underline">
                My answers
              </a>
            )}
            <button
              type="button"
              onClick={() => setShortcuts(true)}
              className="ml-auto rounded border px-2 py-0.5"
              aria-keyshortcuts="?"
            >
              Keys (?)
            </button>
          </nav>
          {closed && (
            <p role="status" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm">
              This study is closed. Your answers are kept; they can no longer be changed.
            </p>
          )}
          {view.instructions && (
            <details className="text-sm text-slate-700">
              <summary className="cursor-pointer">Instructions</summary>
              {view.instructions}
            </details>
          )}
          <h2 id="question" className="font-medium">
            {view.question || "The maps"}
          </h2>
          {bestMap && (bestMap.allowNone || bestMap.allowCannotDecide) && (
            <div role="radiogroup" aria-label="Or, instead of a map" className="flex flex-wrap gap-x-3 text-sm">
              {bestMap.allowNone && (
                <label className="flex items-center gap-1">
                  <input
                    type="radio"
                    name="slot"
                    value="none"
                    checked={option === "none"}
                    onChange={() => chooseOption("none")}
                  />
                  None of the maps highlights the relevant region
                </label>
              )}
              {bestMap.allowCannotDecide && (
                <label className="flex items-center gap-1">
                  <input
                    type="radio"
                    name="slot"
                    value="cannot_decide"
                    checked={option === "cannot_decide"}
                    onChange={() => chooseOption("cannot_decide")}
                  />
                  Cannot decide
                </label>
              )}
            </div>
          )}
          <figure className="mx-auto w-[min(240px,100%,calc(100dvh-480px))] min-w-40 rounded-lg border border-slate-300 bg-white p-1">
            <PanZoomImage
              src={view.imageUrl}
              alt={`Original image, case ${view.caseNumber}`}
              panZoom={panZoom}
              onOpen={() => setCompare(-1)}
            />
            <figcaption className="text-center text-sm font-medium">Original</figcaption>
          </figure>
        </div>

        <div
          role={bestMap ? "radiogroup" : "group"}
          aria-labelledby="question"
          className="grid justify-center gap-3 lg:col-start-2 lg:row-span-2 lg:row-start-1 lg:self-start"
          style={{ gridTemplateColumns: `repeat(${cols}, max-content)` }}
          data-testid="map-grid"
        >
          {view.slots.map((s, i) => {
            const checked = slot === s.letter;
            return (
              <div
                key={s.letter}
                className={`rounded-lg border-2 bg-white p-2 ${checked ? "border-blue-600 ring-2 ring-blue-200" : "border-slate-200"}`}
              >
                <div className="w-[var(--cell)]">
                  <PanZoomImage
                    src={s.camUrl ? view.imageUrl : s.url}
                    alt={`Heat-map of Model ${s.letter}`}
                    panZoom={panZoom}
                    onOpen={() => setCompare(i)}
                    map={s.camUrl ? { layer: layers[i], opacity: opacity / 100 } : undefined}
                  />
                </div>
                <div className="mt-1 flex items-center justify-between gap-2 text-sm font-medium">
                  {bestMap ? (
                    <label className="flex cursor-pointer items-center gap-2">
                      <input
                        type="radio"
                        name="slot"
                        value={s.letter}
                        checked={checked}
                        onChange={() => chooseSlot(s.letter)}
                        aria-keyshortcuts={String(i + 1)}
                      />
                      Model {s.letter}
                      <kbd className="rounded border px-1 text-xs text-slate-600" aria-hidden>
                        {i + 1}
                      </kbd>
                    </label>
                  ) : (
                    <span>Model {s.letter}</span>
                  )}
                  {s.probabilityPercent !== null && view.probabilityClass !== null && (
                    <ProbabilityLabel
                      letter={s.letter}
                      percent={s.probabilityPercent}
                      trueClass={view.probabilityClass}
                    />
                  )}
                  <button
                    type="button"
                    onClick={() => setCompare(i)}
                    className="rounded px-1 text-xs text-blue-700 underline"
                  >
                    Compare<span className="sr-only"> Model {s.letter}</span>
                  </button>
                </div>
              </div>
            );
          })}
        </div>

        <div className="space-y-2 lg:col-start-1 lg:row-start-2">
          {view.questions.map((q) => {
            if (q.type === "rationale")
              return (
                <Fragment key={q.id}>
                  <label className="block">
                    <span className="text-sm font-medium">
                      {q.wording}
                      {rationaleRequired ? "" : " (optional)"}
                    </span>
                    <textarea
                      name="rationale"
                      value={rationale}
                      onChange={(e) => change(setRationale)(e.target.value)}
                      maxLength={rationaleMax}
                      rows={2}
                      aria-describedby="rationale-help"
                      className="block w-full rounded border border-slate-300 p-1.5 text-sm"
                    />
                    <span id="rationale-help" className="text-xs text-slate-600">
                      {trimmed}/{rationaleMax}
                      {rationaleRequired && rationaleMin > 0 ? ` · min ${rationaleMin}` : ""} · Ctrl+Enter submits
                    </span>
                  </label>
                </Fragment>
              );
            if (q.type === "confidence")
              return (
                <Fragment key={q.id}>
                  <div
                    role="radiogroup"
                    aria-label={`${q.wording}${q.required ? "" : " (optional)"}, 1 low to 5 high`}
                    className="flex flex-wrap items-center gap-3 text-sm"
                  >
                    <span className="font-medium">
                      {q.wording}
                      {q.required ? "" : " (optional)"}
                    </span>
                    {[1, 2, 3, 4, 5].map((c) => (
                      <label key={c} className="flex items-center gap-1">
                        <input
                          type="radio"
                          name="confidence"
                          value={c}
                          checked={confidence === c}
                          onChange={() => change(setConfidence)(c)}
                        />
                        {c}
                      </label>
                    ))}
                  </div>
                </Fragment>
              );
            if (q.type === "rating")
              return (
                <RatingQuestion
                  key={q.id}
                  question={q}
                  letters={letters}
                  value={ratings[q.id]}
                  onChange={(v) => change(setRatings)({ ...ratings, [q.id]: v })}
                />
              );
            if (q.type === "ranking")
              return (
                <RankingQuestion
                  key={q.id}
                  question={q}
                  letters={letters}
                  value={rankings[q.id]}
                  onChange={(v) => change(setRankings)({ ...rankings, [q.id]: v })}
                />
              );
            return null;
          })}

          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              disabled={!canSubmit}
              className="rounded bg-slate-900 px-5 py-2 font-medium text-white disabled:opacity-50"
            >
              {submitting ? "Saving…" : changed ? "Submit change" : answer ? "Submit again" : "Submit answer"}
            </button>
            <span
              aria-live="polite"
              className={`text-sm ${changed ? "font-medium text-amber-800" : "text-slate-600"}`}
              data-testid="save-state"
            >
              {status}
            </span>
          </div>
          {error && (
            <p role="alert" className="text-red-700">
              {error}
            </p>
          )}
          <p id="panel-help" className="text-xs text-slate-600">
            Click a picture or press Space on it to compare · wheel or +/− zooms all pictures · ? lists the keys
          </p>
        </div>
      </fieldset>

      {compare !== null && (
        <CompareDialog
          view={view}
          initial={compare}
          panZoom={panZoom}
          layers={layers}
          opacity={opacity}
          onOpacity={setOpacity}
          onClose={() => setCompare(null)}
        />
      )}
      {shortcuts && (
        <ShortcutsDialog slots={view.slots.length} allowRevisit={allowRevisit} onClose={() => setShortcuts(false)} />
      )}
    </form>
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
