"use client";
// Heat-map jobs for chosen runs, on a whole split or on chosen images.
import { startTransition, useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { heatmapsAction, type FormState } from "../actions";
import { formatAuc } from "../format";
import { FieldError, FormMessage } from "./field-error";

const initial: FormState = { ok: false, message: "" };

export function HeatmapForm({
  runs,
  images,
  testImages = 0,
}: {
  runs: { id: string; variant: string; seed: number; valAuc: number | null; heatmaps: number }[];
  images: { id: string; originalName: string; className: string }[];
  /** Images in the held-out test split; the split is offered only when there are some. */
  testImages?: number;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState(async (prev: FormState, data: FormData) => {
    const s = await heatmapsAction(prev, data);
    if (s.ok) router.refresh();
    return s;
  }, initial);
  const [split, setSplit] = useState("VALIDATION");
  if (runs.length === 0) return <p className="text-sm text-slate-600">Heat-maps need a succeeded run; none yet.</p>;
  return (
    <form
      noValidate
      aria-label="Render heat-maps"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <fieldset>
        <legend className="text-sm font-medium">Runs</legend>
        <div className="mt-1 grid gap-1 text-sm sm:grid-cols-3">
          {runs.map((r) => (
            <label key={r.id} className="flex items-center gap-1">
              <input type="checkbox" name="runIds" value={r.id} defaultChecked /> {r.variant} seed {r.seed} · AUC{" "}
              {formatAuc(r.valAuc)} · {r.heatmaps} maps
            </label>
          ))}
        </div>
        <FieldError error={state.fieldErrors?.runIds} />
      </fieldset>
      <label className="text-sm font-medium">
        Images
        <select
          name="split"
          value={split}
          onChange={(e) => setSplit(e.target.value)}
          className="ml-2 rounded border border-slate-300 px-2 py-1 font-normal"
        >
          <option value="VALIDATION">Validation split</option>
          {testImages > 0 && <option value="TEST">Test split ({testImages})</option>}
          <option value="TRAIN">Training split</option>
          <option value="CHOSEN">Chosen images</option>
        </select>
      </label>
      {split === "CHOSEN" && (
        <fieldset>
          <legend className="text-sm font-medium">Choose images</legend>
          <div className="mt-1 grid max-h-64 grid-cols-4 gap-2 overflow-y-auto sm:grid-cols-8">
            {images.map((im) => (
              <label key={im.id} className="flex flex-col items-center text-xs">
                {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                <img
                  src={`/api/researcher/images/${im.id}`}
                  alt={im.originalName}
                  loading="lazy"
                  className="h-14 w-14 rounded border object-contain [image-rendering:pixelated]"
                />
                <span>
                  <input type="checkbox" name="imageIds" value={im.id} /> {im.className}
                </span>
              </label>
            ))}
          </div>
          <FieldError error={state.fieldErrors?.imageIds} />
        </fieldset>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="force" /> Recompute existing maps
      </label>
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <button disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-60">
          {pending ? "Queuing…" : "Render heat-maps"}
        </button>
      </div>
    </form>
  );
}
