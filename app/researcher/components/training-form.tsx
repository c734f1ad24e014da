"use client";
// Start-training form, prefilled with the paper's protocol. "CPU quick" swaps in a
// small, fast configuration and says clearly that it is not the paper's protocol.
import { startTransition, useActionState, useState } from "react";
import type { Variant } from "@/lib/ml/models/architecture";
import {
  cpuConfirmationMessage,
  describeEstimate,
  estimateTraining,
  type ThroughputSample,
  type WorkerGroup,
} from "@/lib/jobs/training-estimate";
import { startTrainingAction, type FormState } from "../actions";
import { FieldError, FormMessage, inputClass } from "./field-error";

export interface TrainingValues {
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  inputSize: number;
  width: number;
  augment: boolean;
  seeds: number;
  /** Fractions of the epochs at which the learning rate drops ÷10 (the form has no field for them). */
  lrDropAt?: readonly number[];
}

const initial: FormState = { ok: false, message: "" };
const VARIANTS: { value: Variant; label: string }[] = [
  { value: "baseline", label: "Baseline ResNet-18" },
  { value: "se", label: "SE (Hu et al.)" },
  { value: "cbam", label: "CBAM (Woo et al.)" },
  { value: "gc", label: "GC (Cao et al.)" },
];

const NUMERIC: { key: keyof TrainingBounds; label: string; step: string }[] = [
  { key: "epochs", label: "Epochs", step: "1" },
  { key: "seeds", label: "Runs per variant (seeds 1..n)", step: "1" },
  { key: "batchSize", label: "Batch size", step: "1" },
  { key: "learningRate", label: "Initial learning rate", step: "any" },
  { key: "momentum", label: "SGD momentum", step: "any" },
  { key: "weightDecay", label: "Weight decay", step: "any" },
  { key: "inputSize", label: "Input size (px)", step: "1" },
  { key: "width", label: "Width multiplier", step: "any" },
];

/** What the estimate is computed from in the browser: the dataset's split, the online workers, recent runs. */
export interface EstimateInputs {
  trainImages: number;
  valImages: number;
  workers: WorkerGroup[];
  samples: ThroughputSample[];
}

/** A finished job's settings as the form's start, and which preset supplies what the form has no field for. */
export interface RetrainValues {
  jobId: string;
  /** "job of 2026-12-01 14:02 UTC on Set A" */
  label: string;
  values: TrainingValues;
  variants: Variant[];
  base: "paper" | "cpu-quick";
  /** Anything the form cannot carry over (seeds other than 1..n), said before the researcher starts. */
  note?: string;
}

/** Inclusive input limits of each numeric field, read on the server from the schemas that check them. */
export type TrainingBounds = Record<
  Exclude<keyof TrainingValues, "augment" | "lrDropAt">,
  { min?: number; max?: number }
>;

export function TrainingForm({
  datasetId,
  paper,
  quick,
  bounds,
  estimateInputs,
  retrain,
}: {
  datasetId: string;
  paper: TrainingValues;
  quick: TrainingValues;
  bounds: TrainingBounds;
  estimateInputs: EstimateInputs;
  /** Training a finished job again: its settings fill the form, editable, and the new job records the old one. */
  retrain?: RetrainValues;
}) {
  const [state, action, pending] = useActionState(startTrainingAction, initial);
  const start = retrain?.values ?? paper;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(NUMERIC.map((n) => [n.key, String(start[n.key])])),
  );
  const [augment, setAugment] = useState(start.augment);
  const [variants, setVariants] = useState<Variant[]>(retrain?.variants ?? VARIANTS.map((v) => v.value));
  const [confirmCpu, setConfirmCpu] = useState(false);
  const [preset, setPreset] = useState<"paper" | "quick" | "custom" | "retrain">(retrain ? "retrain" : "paper");
  // The preset the fields were last filled from; edits start from it, so it still supplies the LR drops.
  const [base, setBase] = useState<"paper" | "cpu-quick">(retrain?.base ?? "paper");
  const apply = (v: TrainingValues, name: "paper" | "quick") => {
    setValues(Object.fromEntries(NUMERIC.map((n) => [n.key, String(v[n.key])])));
    setAugment(v.augment);
    setPreset(name);
    setBase(name === "quick" ? "cpu-quick" : "paper");
  };
  const err = (k: string) => state.fieldErrors?.[k];
  const num = (k: keyof TrainingBounds) => Number(values[k]);
  const estimateParams = {
    epochs: num("epochs"),
    inputSize: num("inputSize"),
    width: num("width"),
    batchSize: num("batchSize"),
  };
  const estimable = Object.values(estimateParams).every((v) => Number.isFinite(v) && v > 0) && num("seeds") >= 1;
  const estimate = estimable
    ? estimateTraining(
        {
          variants,
          seeds: Math.floor(num("seeds")),
          params: estimateParams,
          trainImages: estimateInputs.trainImages,
          valImages: estimateInputs.valImages,
        },
        estimateInputs.workers,
        estimateInputs.samples,
      )
    : null;
  const drops = (quick.lrDropAt ?? []).map((f) => `${Math.round(f * 100)} %`).join(", ");
  const quickLabel =
    `CPU quick: ${quick.inputSize} px (the smallest size whose heat-maps localise), width ${quick.width}, ` +
    `${quick.epochs} epochs, lr ${quick.learningRate} ÷10 at ${drops}. ` +
    "For trying things out on a CPU; results are NOT comparable with the paper.";
  return (
    <form
      noValidate
      aria-label="Start training"
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="preset" value={base} />
      {retrain && <input type="hidden" name="retrainOf" value={retrain.jobId} />}
      {retrain && (
        <p data-testid="retrain-source" className="rounded border border-blue-200 bg-blue-50 p-2 text-sm text-blue-900">
          Training again: the settings of the {retrain.label}. Edit them if you wish; the new runs are a new job, and
          studies built on the old runs keep them.{retrain.note ? ` ${retrain.note}` : ""}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium">Preset:</span>
        <button
          type="button"
          onClick={() => apply(paper, "paper")}
          aria-pressed={preset === "paper"}
          className={`rounded border px-2 py-1 text-sm ${preset === "paper" ? "border-slate-900 bg-slate-900 text-white" : "border-slate-400"}`}
        >
          Paper protocol
        </button>
        <button
          type="button"
          onClick={() => apply(quick, "quick")}
          aria-pressed={preset === "quick"}
          className={`rounded border px-2 py-1 text-sm ${preset === "quick" ? "border-amber-700 bg-amber-600 text-white" : "border-amber-500 text-amber-800"}`}
        >
          CPU quick (not the paper&apos;s protocol)
        </button>
        <span
          data-testid="preset-label"
          className={`text-sm ${preset === "paper" ? "text-green-800" : "text-amber-800"}`}
        >
          {preset === "paper" &&
            "Rao et al. (ICCV-W 2021): SGD 0.9, weight decay 1e-4, batch 64, lr 0.05 ÷10 at 30/60/90 %, 100 epochs, 224 px, full width, 3 seeds."}
          {preset === "quick" && quickLabel}
          {preset === "custom" && "Custom settings (differ from the paper's protocol)."}
          {preset === "retrain" && "The settings of the job trained again."}
        </span>
      </div>

      <fieldset>
        <legend className="text-sm font-medium">Variants</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {VARIANTS.map((v) => (
            <label key={v.value} className="flex items-center gap-1">
              <input
                type="checkbox"
                name="variants"
                value={v.value}
                checked={variants.includes(v.value)}
                onChange={(e) =>
                  setVariants(e.target.checked ? [...variants, v.value] : variants.filter((x) => x !== v.value))
                }
              />{" "}
              {v.label}
            </label>
          ))}
        </div>
        <FieldError error={err("variants")} />
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-4">
        {NUMERIC.map((n) => (
          <label key={n.key} className="text-sm font-medium" htmlFor={`train-${n.key}`}>
            {n.label}
            <input
              id={`train-${n.key}`}
              name={n.key}
              type="number"
              step={n.step}
              min={bounds[n.key].min}
              max={bounds[n.key].max}
              value={values[n.key]}
              aria-invalid={!!err(n.key)}
              onChange={(e) => {
                setValues({ ...values, [n.key]: e.target.value });
                setPreset("custom");
              }}
              className={inputClass}
            />
            <FieldError error={err(n.key)} />
          </label>
        ))}
        <label className="flex items-center gap-2 self-end text-sm font-medium">
          <input
            type="checkbox"
            name="augment"
            checked={augment}
            onChange={(e) => {
              setAugment(e.target.checked);
              setPreset("custom");
            }}
          />{" "}
          Random horizontal flip
        </label>
        <label
          className="flex items-center gap-2 self-end text-sm font-medium"
          title="Each image's loss weighed by N / (2 × its class's count) on the training split; off in the paper"
        >
          <input type="checkbox" name="classWeighting" value="balanced" /> Class-weighted loss
        </label>
      </div>
      <p className="text-xs text-slate-600">
        The learning rate is divided by 10 at{" "}
        {((base === "cpu-quick" ? quick : paper).lrDropAt ?? []).map((f) => `${Math.round(f * 100)} %`).join(", ")} of
        the epochs; 20 % of each class is held out for validation (the dataset&apos;s stored split).
      </p>
      <div
        data-testid="training-estimate"
        aria-live="polite"
        className="rounded border border-slate-200 bg-slate-50 p-2 text-sm text-slate-800"
      >
        <p className="font-medium">Estimated time (before queuing)</p>
        {estimate === null ? (
          <p>Fill in the numbers to see an estimate.</p>
        ) : (
          <ul className="list-disc pl-5">
            {describeEstimate(estimate).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        <p className="mt-1 text-xs text-slate-600">
          From the measured speed of recent runs on this installation ({estimateInputs.trainImages} training and{" "}
          {estimateInputs.valImages} validation images per epoch); runs already queued are not counted.
        </p>
      </div>
      {(estimate?.needsCpuConfirmation || err("confirmCpu")) && (
        <div
          className="rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900"
          data-testid="cpu-confirmation"
        >
          <p>{estimate ? cpuConfirmationMessage(estimate) : err("confirmCpu")}</p>
          <label className="mt-1 flex items-center gap-2 font-medium">
            <input
              type="checkbox"
              name="confirmCpu"
              checked={confirmCpu}
              onChange={(e) => setConfirmCpu(e.target.checked)}
            />{" "}
            Start on CPU anyway
          </label>
          <FieldError error={err("confirmCpu")} />
        </div>
      )}
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <button disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-60">
          {pending ? "Queuing…" : "Start training"}
        </button>
      </div>
    </form>
  );
}
