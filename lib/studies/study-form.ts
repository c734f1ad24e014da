// The coordinator's study form: FormData mapped to the draft schema's shape (parsed by parseStudyDraft).
const bool = (form: FormData, name: string) => form.get(name) === "on" || form.get(name) === "true";
const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/** The settings part of a form (checkboxes are absent when unticked). */
export function settingsFromForm(form: FormData): Record<string, unknown> {
  const specialty = text(form, "targetSpecialty");
  return {
    showProbabilities: bool(form, "showProbabilities"),
    rationaleRequired: bool(form, "rationaleRequired"),
    rationaleMin: Number(text(form, "rationaleMin") ?? 0),
    rationaleMax: Number(text(form, "rationaleMax") ?? 1000),
    allowRevisit: bool(form, "allowRevisit"),
    confidenceEnabled: bool(form, "confidenceEnabled"),
    targetSpecialty: specialty ? specialty : null,
    colourMap: text(form, "colourMap") ?? "jet",
    ...operationsFromForm(form),
  };
}

/** Case order and invitation expiry (operations-fields.tsx); an empty field falls back to the schema's default. */
function operationsFromForm(form: FormData): Record<string, unknown> {
  const order = text(form, "caseOrder");
  const days = text(form, "invitationExpiryDays")?.trim();
  return {
    ...(order ? { caseOrder: order } : {}),
    ...(days ? { invitationExpiryDays: Number(days) } : {}),
  };
}

/** Maps the study form's fields to the draft schema's shape; parsed once by parseStudyDraft. */
export function draftInputFromForm(form: FormData): Record<string, unknown> {
  const mode = text(form, "caseMode");
  return {
    title: text(form, "title") ?? "",
    instructions: text(form, "instructions") ?? "",
    question: text(form, "question") ?? "",
    datasetId: text(form, "datasetId") ?? "",
    modelRunIds: form.getAll("modelRunId").map(String),
    cases:
      mode === "pick"
        ? { mode, imageIds: form.getAll("imageId").map(String) }
        : { mode, size: text(form, "sampleSize") ?? "", seed: text(form, "sampleSeed") ?? "" },
    settings: settingsFromForm(form),
  };
}
