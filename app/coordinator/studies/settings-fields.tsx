// The reader-facing settings as form fields, shared by the new-study form and the draft's settings form.
import type { StudySettings } from "@/lib/studies/study-settings";
import { OperationsFields } from "./operations-fields";
import { COLOUR_MAPS, COLOUR_MAP_LABELS } from "@/lib/ml/render/colour-map-names";

export function FieldError({ error }: { error?: string }) {
  return error ? <span className="block text-xs text-red-700">{error}</span> : null;
}

export function SettingsFields({
  settings,
  errors = {},
  disabled = false,
}: {
  settings: StudySettings;
  errors?: Record<string, string>;
  disabled?: boolean;
}) {
  const err = (k: string) => errors[k] ?? errors[`settings.${k}`];
  const box = (name: keyof StudySettings, label: string) => (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={settings[name] as boolean} disabled={disabled} />
      {label}
    </label>
  );
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2" disabled={disabled}>
      <legend className="mb-2 font-medium">Reader settings</legend>
      <div>
        {box("showProbabilities", "Show each model's probability (P) under its map")}
        <p className="ml-6 text-xs text-slate-600" id="show-probabilities-help">
          P is the model&apos;s probability for the image&apos;s true class. Off by default: P can let readers tell the
          models apart (one that is always more confident is recognisable), which weakens the blinding.
        </p>
      </div>
      {box("allowRevisit", "Allow readers to go back and change answers")}
      <label className="text-sm">
        Target specialty
        <select
          name="targetSpecialty"
          defaultValue={settings.targetSpecialty ?? ""}
          className="mt-1 block rounded border border-slate-300 px-2 py-1"
        >
          <option value="">Any</option>
          <option value="DERMATOLOGY">Dermatology</option>
          <option value="RADIOLOGY">Radiology</option>
          <option value="OTHER">Other</option>
        </select>
        <FieldError error={err("targetSpecialty")} />
      </label>
      <OperationsFields settings={settings} error={err} />
      <label className="text-sm">
        Heat-map colours
        <select
          name="colourMap"
          defaultValue={settings.colourMap}
          aria-describedby="colour-map-help"
          className="mt-1 block rounded border border-slate-300 px-2 py-1"
        >
          {COLOUR_MAPS.map((m) => (
            <option key={m} value={m}>
              {COLOUR_MAP_LABELS[m]}
            </option>
          ))}
        </select>
        <span id="colour-map-help" className="block text-xs text-slate-600">
          Every map of the study in the same colours, with a matching legend; readers change only the opacity.
        </span>
        <FieldError error={err("colourMap")} />
      </label>
    </fieldset>
  );
}

export function MissingHeatmapTable({
  missing,
}: {
  missing?: { runLabel: string; imageName: string; imageId: string; modelRunId: string }[];
}) {
  if (!missing || missing.length === 0) return null;
  return (
    <div
      className="mt-2 max-h-64 overflow-auto rounded border border-red-200 bg-red-50 p-2 text-sm"
      data-testid="missing-heatmaps"
    >
      <p className="font-medium text-red-800">
        Missing heat-maps ({missing.length}
        {missing.length >= 200 ? "+" : ""}): generate them, or leave these runs or images out.
      </p>
      <table className="mt-1 w-full">
        <thead>
          <tr className="text-left">
            <th className="pr-4">Model run</th>
            <th>Image</th>
          </tr>
        </thead>
        <tbody>
          {missing.map((m) => (
            <tr key={`${m.modelRunId}|${m.imageId}`}>
              <td className="pr-4">{m.runLabel}</td>
              <td>{m.imageName}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
