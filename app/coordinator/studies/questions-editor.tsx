"use client";
// The study's questions as the coordinator builds them: add, remove, reorder, and set each one's wording and rules.
// The list travels to the server as one JSON field ("questions"), parsed there by the questions schema.
import { useState } from "react";
import {
  DEFAULT_WORDING,
  QUESTION_TYPES,
  typeLabel,
  type QuestionType,
  type StudyQuestion,
} from "@/lib/studies/study-questions";
import { FieldError } from "./settings-fields";

function blank(type: QuestionType): StudyQuestion {
  const common = { id: "q0", wording: DEFAULT_WORDING[type], required: type !== "confidence" };
  switch (type) {
    case "best_map":
      return { ...common, type, allowNone: false, allowCannotDecide: false };
    case "ranking":
      return { ...common, type, allowTies: false };
    case "rating":
      return { ...common, type };
    case "rationale":
      return { ...common, type, min: 10, max: 1000 };
    case "confidence":
      return { ...common, type };
  }
}

const renumber = (qs: StudyQuestion[]) => qs.map((q, i) => ({ ...q, id: `q${i + 1}` }));

export function QuestionsEditor({
  initial,
  errors = {},
}: {
  initial: StudyQuestion[];
  errors?: Record<string, string>;
}) {
  const [questions, setQuestions] = useState<StudyQuestion[]>(() => renumber(initial));
  const [adding, setAdding] = useState<QuestionType>("rating");
  const set = (qs: StudyQuestion[]) => setQuestions(renumber(qs));
  const update = (i: number, patch: Partial<StudyQuestion>) =>
    set(questions.map((q, j) => (j === i ? ({ ...q, ...patch } as StudyQuestion) : q)));
  const move = (i: number, by: number) => {
    const qs = [...questions];
    const [q] = qs.splice(i, 1);
    qs.splice(i + by, 0, q);
    set(qs);
  };
  const err = (i: number, k: string) => errors[`questions.${i}.${k}`];
  const box = (i: number, label: string, checked: boolean, onChange: (v: boolean) => void) => (
    <label className="flex items-center gap-1 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
  return (
    <fieldset className="space-y-3" data-testid="questions-editor">
      <legend className="mb-1 font-medium">Questions, asked in this order on every case</legend>
      <input type="hidden" name="questions" value={JSON.stringify(questions)} />
      <FieldError error={errors.questions} />
      <ol className="space-y-3">
        {questions.map((q, i) => (
          <li
            key={`${q.id}-${q.type}`}
            className="rounded border border-slate-200 p-3"
            aria-label={`Question ${i + 1}: ${typeLabel(q.type)}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm font-medium">
                {i + 1}. {typeLabel(q.type)}
              </span>
              <span className="ml-auto flex gap-1 text-sm">
                <button
                  type="button"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  className="rounded border px-2 disabled:opacity-40"
                >
                  ↑<span className="sr-only"> Move question {i + 1} up</span>
                </button>
                <button
                  type="button"
                  disabled={i === questions.length - 1}
                  onClick={() => move(i, 1)}
                  className="rounded border px-2 disabled:opacity-40"
                >
                  ↓<span className="sr-only"> Move question {i + 1} down</span>
                </button>
                <button
                  type="button"
                  disabled={questions.length === 1}
                  onClick={() => set(questions.filter((_, j) => j !== i))}
                  className="rounded border px-2 text-red-800 disabled:opacity-40"
                >
                  Remove<span className="sr-only"> question {i + 1}</span>
                </button>
              </span>
            </div>
            <label className="mt-2 block text-sm">
              Wording
              <input
                value={q.wording}
                onChange={(e) => update(i, { wording: e.target.value })}
                maxLength={500}
                aria-invalid={!!err(i, "wording")}
                className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
              />
              <FieldError error={err(i, "wording")} />
            </label>
            <div className="mt-2 flex flex-wrap items-center gap-4">
              {box(i, "Required", q.required, (v) => update(i, { required: v }))}
              {q.type === "best_map" && (
                <>
                  {box(i, "Offer “None of the maps highlights the relevant region”", q.allowNone, (v) =>
                    update(i, { allowNone: v }),
                  )}
                  {box(i, "Offer “Cannot decide”", q.allowCannotDecide, (v) => update(i, { allowCannotDecide: v }))}
                </>
              )}
              {q.type === "ranking" && box(i, "Allow ties", q.allowTies, (v) => update(i, { allowTies: v }))}
              {q.type === "rating" && <span className="text-xs text-slate-600">Each map on a 1–5 scale</span>}
              {q.type === "rationale" && (
                <>
                  <label className="text-sm">
                    Minimum length{" "}
                    <input
                      type="number"
                      min={0}
                      max={2000}
                      value={Number.isNaN(q.min) ? "" : q.min}
                      onChange={(e) => update(i, { min: e.target.value === "" ? NaN : Number(e.target.value) })}
                      className="w-20 rounded border border-slate-300 px-1"
                    />
                    <FieldError error={err(i, "min")} />
                  </label>
                  <label className="text-sm">
                    Maximum length{" "}
                    <input
                      type="number"
                      min={1}
                      max={5000}
                      value={Number.isNaN(q.max) ? "" : q.max}
                      onChange={(e) => update(i, { max: e.target.value === "" ? NaN : Number(e.target.value) })}
                      className="w-20 rounded border border-slate-300 px-1"
                    />
                    <FieldError error={err(i, "max")} />
                  </label>
                </>
              )}
            </div>
            <FieldError error={err(i, "type")} />
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label>
          Add a question{" "}
          <select
            value={adding}
            onChange={(e) => setAdding(e.target.value as QuestionType)}
            className="rounded border border-slate-300 px-1 py-0.5"
          >
            {QUESTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => set([...questions, blank(adding)])}
          className="rounded border border-slate-400 px-2 py-0.5"
        >
          Add
        </button>
      </div>
    </fieldset>
  );
}

/** A published study's questions, read only. */
export function QuestionsSummary({ questions }: { questions: StudyQuestion[] }) {
  return (
    <ol className="list-decimal space-y-1 pl-5 text-sm" data-testid="questions-summary">
      {questions.map((q) => (
        <li key={q.id}>
          <span className="font-medium">{typeLabel(q.type)}</span>: {q.wording}{" "}
          <span className="text-slate-600">
            ({q.required ? "required" : "optional"}
            {q.type === "best_map" && q.allowNone ? ", “none” offered" : ""}
            {q.type === "best_map" && q.allowCannotDecide ? ", “cannot decide” offered" : ""}
            {q.type === "ranking" ? (q.allowTies ? ", ties allowed" : ", no ties") : ""}
            {q.type === "rationale" ? `, ${q.min}–${q.max} characters` : ""})
          </span>
        </li>
      ))}
    </ol>
  );
}
