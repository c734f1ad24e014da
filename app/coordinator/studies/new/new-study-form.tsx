"use client";
import { startTransition, useActionState, useState } from "react";
import { createStudyAction, type StudyFormState } from "../actions";
import { FieldError, MissingHeatmapTable, SettingsFields } from "../settings-fields";
import type { StudySettings } from "@/lib/studies/study-settings";
import { defaultQuestions } from "@/lib/studies/study-questions";
import { QuestionsEditor } from "../questions-editor";

export interface RunOption {
  id: string;
  label: string;
  variant: string;
  valAuc: number | null;
  readyForStudy: boolean;
  heatmapCount: number;
  preselected: boolean;
}
export interface GalleryImage {
  id: string;
  label: string;
  name: string;
}

const initial: StudyFormState = { ok: false, message: "" };

export function NewStudyForm(props: {
  datasetId: string;
  runs: RunOption[];
  gallery: GalleryImage[];
  defaultQuestion: string;
  defaultSeed: number;
  settings: StudySettings;
}) {
  const [state, action, pending] = useActionState(createStudyAction, initial);
  const [mode, setMode] = useState<"sample" | "pick">("sample");
  const err = (k: string) => state.fieldErrors?.[k];
  return (
    <form
      noValidate
      className="space-y-6"
      // Submitting through a transition keeps what was typed when the server refuses the input.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <input type="hidden" name="datasetId" value={props.datasetId} />
      <section className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <label className="text-sm font-medium">
          Title
          <input
            name="title"
            aria-invalid={!!err("title")}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          />
          <FieldError error={err("title")} />
        </label>
        <label className="text-sm font-medium">
          Instructions
          <textarea
            name="instructions"
            rows={3}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          />
          <FieldError error={err("instructions")} />
        </label>
      </section>

      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">Arms: 2 to 6 model runs (one per variant is usual)</legend>
        {props.runs.length === 0 ? (
          <p className="text-sm text-slate-600">No finished model runs on this dataset yet.</p>
        ) : (
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {props.runs.map((r) => (
              <li key={r.id}>
                <label className="flex items-center gap-2">
                  <input type="checkbox" name="modelRunId" value={r.id} defaultChecked={r.preselected} />
                  <span>
                    <span className="font-medium">{r.label}</span> · AUC {r.valAuc === null ? "—" : r.valAuc.toFixed(3)}{" "}
                    · {r.heatmapCount} heat-maps
                    {r.readyForStudy && (
                      <span className="ml-1 rounded bg-green-100 px-1 text-xs text-green-800">ready</span>
                    )}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        <FieldError error={err("modelRunIds")} />
      </fieldset>

      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-medium">Cases</legend>
        <div className="flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="caseMode"
              value="sample"
              checked={mode === "sample"}
              onChange={() => setMode("sample")}
            />{" "}
            Stratified random sample
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="caseMode"
              value="pick"
              checked={mode === "pick"}
              onChange={() => setMode("pick")}
            />{" "}
            Pick by hand
          </label>
        </div>
        {mode === "sample" ? (
          <div className="mt-3 flex flex-wrap gap-4">
            <label className="text-sm">
              Sample size
              <input
                name="sampleSize"
                type="number"
                min={1}
                defaultValue={Math.min(12, Math.max(1, props.gallery.length))}
                className="mt-1 block w-28 rounded border border-slate-300 px-2 py-1"
              />
              <FieldError error={err("cases.size")} />
            </label>
            <label className="text-sm">
              Sample seed
              <input
                name="sampleSeed"
                type="number"
                min={0}
                defaultValue={props.defaultSeed}
                className="mt-1 block w-36 rounded border border-slate-300 px-2 py-1"
              />
              <FieldError error={err("cases.seed")} />
            </label>
            <p className="max-w-md text-xs text-slate-600">
              Strata: class × whether most chosen arms classified the image correctly. Only images with a heat-map from
              every chosen arm are eligible. The same seed gives the same cases.
            </p>
          </div>
        ) : (
          <div className="mt-3">
            <FieldError error={err("cases.imageIds")} />
            <ul
              className="grid max-h-[28rem] grid-cols-3 gap-2 overflow-auto sm:grid-cols-6"
              aria-label="Image gallery"
            >
              {props.gallery.map((g) => (
                <li key={g.id}>
                  <label className="block cursor-pointer rounded border border-slate-200 p-1 text-xs has-[:checked]:border-blue-600 has-[:checked]:ring-2 has-[:checked]:ring-blue-200">
                    {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                    <img
                      src={`/api/coordinator/images/${g.id}`}
                      alt={g.name}
                      loading="lazy"
                      className="aspect-square w-full object-contain [image-rendering:pixelated]"
                    />
                    <span className="flex items-center gap-1">
                      <input type="checkbox" name="imageId" value={g.id} /> {g.label}
                    </span>
                    <span className="block truncate text-slate-500">{g.name}</span>
                  </label>
                </li>
              ))}
            </ul>
          </div>
        )}
        <FieldError error={err("cases")} />
      </fieldset>

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <QuestionsEditor initial={defaultQuestions(props.defaultQuestion)} errors={state.fieldErrors} />
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <SettingsFields settings={props.settings} errors={state.fieldErrors} />
      </section>

      <div className="flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-slate-900 px-4 py-2 font-medium text-white disabled:opacity-60"
        >
          {pending ? "Creating…" : "Create draft study"}
        </button>
        {state.message && (
          <p role="alert" className={state.ok ? "text-green-700" : "text-red-700"}>
            {state.message}
          </p>
        )}
      </div>
      <MissingHeatmapTable missing={state.missing} />
    </form>
  );
}
